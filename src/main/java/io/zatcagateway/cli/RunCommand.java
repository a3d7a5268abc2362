package io.zatcagateway.cli;

import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the gateway on its embedded defaults. Today that is the embedded Fatoora simulator; the ERP intake
 * routes, the chain and the submission routes join it as they are built (see README, "Status").
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Starts the gateway with everything embedded (today: the Fatoora simulator; intake and chain routes are not built yet).")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", description = "properties file (default: config/application.properties)")
    Path config;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig c = SimulatorConfig.from(Config.load(config));
        try (FatooraSimulator sim = new FatooraSimulator(c).start()) {
            System.out.println("zatca-gateway started");
            System.out.println("  embedded Fatoora simulator: " + sim.baseUrl());
            System.out.println("  ERP intake, chain and submission routes: not built yet (issues #5 and #6); "
                    + "use 'validate' to check documents and the simulator API to submit them");
            System.out.println("Stop with Ctrl+C.");
            System.out.flush();
            Config.untilStopped(sim);
        }
        return 0;
    }
}
