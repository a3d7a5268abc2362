package io.zatcagateway.cli;

import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.OtpRegistry;
import io.zatcagateway.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the Fatoora simulator on its own until interrupted. */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Runs the local Fatoora simulator (ZATCA's API over HTTP) until stopped with Ctrl+C.",
                "Prints its base URL and a first OTP; more OTPs: POST <host>/admin/otp?vat=<VAT>."})
public final class SimulatorCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default: simulator.port, 8943; 0 = any free port)")
    Integer port;

    @Option(names = "--config", description = "properties file (default: config/application.properties)")
    Path config;

    @Option(names = "--vat", defaultValue = "300000000000003", description = "VAT number the first OTP is issued for (default: ${DEFAULT-VALUE})")
    String vat;

    @Override
    public Integer call() throws Exception {
        Properties p = Config.load(config);
        if (port != null) {
            p.setProperty("simulator.port", String.valueOf(port));
        }
        SimulatorConfig c = SimulatorConfig.from(p);
        try (FatooraSimulator sim = new FatooraSimulator(c).start()) {
            OtpRegistry.Otp otp = sim.issueOtp(vat);
            System.out.println("Fatoora simulator listening on " + sim.baseUrl());
            System.out.println("environment " + c.environment().id() + " (CSR template " + c.environment().templateName() + ")");
            System.out.println("OTP for VAT " + vat + ": " + otp.code() + " (valid until " + otp.expiresAt() + ", single use)");
            System.out.println("admin: " + sim.adminUrl() + "/otp?vat=<VAT> (POST), /records, /faults (GET/PUT), /clock, /clearance, /health");
            System.out.flush();
            Config.untilStopped(sim);
        }
        return 0;
    }
}
