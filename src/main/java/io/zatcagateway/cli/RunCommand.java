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

    /** EGS units of the simulator environment onboard themselves with the demo OTP (the README's demo). */
    static void onboardSimulatorEgs(Gateway g, String demoOtp) throws Exception {
        if (Boolean.parseBoolean(g.properties.getProperty("gateway.demo", "false").trim()) && System.getenv("ZGW_VAULT_PASSWORD") == null) {
            io.zatcagateway.egs.KeyVault.createPasswordFileIfAbsent(g.passwordFile());
        }
        io.zatcagateway.egs.KeyVault vault = g.vault();
        for (io.zatcagateway.egs.EgsConfig egs : g.egs.values()) {
            if (egs.environment() == io.zatcagateway.core.csr.ZatcaEnvironment.SIMULATOR && !demoOtp.isBlank()) {
                // the embedded simulator keeps its CA and CSIDs in memory: what an earlier run onboarded is unknown to it now
                java.nio.file.Files.deleteIfExists(vault.file(egs.environment().id(), egs.id()));
                new io.zatcagateway.egs.Onboarding(egs, vault, g.client(egs), System.out).onboard(() -> demoOtp);
            }
            System.out.println("  EGS " + egs.id() + " (" + egs.environment().id() + "): " + EgsCommand.describe(egs, vault));
        }
    }

    @Override
    public Integer call() throws Exception {
        java.util.Properties props = Config.load(config);
        SimulatorConfig c = SimulatorConfig.from(props);
        try (FatooraSimulator sim = new FatooraSimulator(c).start()) {
            System.out.println("zatca-gateway started");
            System.out.println("  embedded Fatoora simulator: " + sim.baseUrl());
            Gateway g = new Gateway(props, sim.baseUrl());
            onboardSimulatorEgs(g, c.demoOtp());
            io.zatcagateway.egs.CertificateWatch watch = new io.zatcagateway.egs.CertificateWatch(g.vault(), g.egs);
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "certificate-watch");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> watch.check(java.time.Instant.now()), 0, 1, java.util.concurrent.TimeUnit.HOURS);
            System.out.println("  ERP intake, chain and submission routes: not built yet (issues #5 and #6); "
                    + "use 'validate' to check documents and the simulator API to submit them");
            System.out.println("Stop with Ctrl+C.");
            System.out.flush();
            Config.untilStopped(sim);
        }
        return 0;
    }
}
