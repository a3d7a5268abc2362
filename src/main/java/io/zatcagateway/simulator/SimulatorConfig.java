package io.zatcagateway.simulator;

import io.zatcagateway.core.csr.ZatcaEnvironment;
import java.time.Duration;
import java.util.Properties;

/**
 * Settings of the Fatoora simulator ({@code simulator.*} keys in {@code config/application.properties}).
 *
 * @param host                      interface to bind; loopback by default
 * @param port                      0 picks a free port
 * @param environment               the environment it pretends to be: base path {@code /e-invoicing/<id>}, CSR template
 * @param productionValidity        validity of production CSIDs (one year by default, minutes in tests)
 * @param complianceValidity        validity of compliance CSIDs
 * @param strictValidation          also run the XSD and EN 16931 schematron on every document (slow)
 * @param demoOtp                   an OTP accepted any number of times, for the embedded demo; empty to disable
 * @param maxBodyBytes              larger request bodies get 413
 * @param clearanceEnabled          false makes the clearance endpoint answer 303 (ZATCA's clearance switch-off)
 * @param renewalRequiresCompliance renewal answers 428 and a new CCSID, so compliance checks must run again
 * @param threads                   request threads
 */
public record SimulatorConfig(String host, int port, ZatcaEnvironment environment, Duration productionValidity,
                              Duration complianceValidity, boolean strictValidation, String demoOtp, int maxBodyBytes,
                              boolean clearanceEnabled, boolean renewalRequiresCompliance, int threads) {

    public static SimulatorConfig defaults() {
        return from(new Properties());
    }

    /** The defaults with some keys set, e.g. {@code of("simulator.production-csid-validity", "PT5M")}. */
    public static SimulatorConfig of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return from(p);
    }

    /** Reads {@code simulator.*} keys; absent keys keep their defaults. */
    public static SimulatorConfig from(Properties p) {
        return new SimulatorConfig(
                p.getProperty("simulator.host", "127.0.0.1").trim(),
                Integer.parseInt(p.getProperty("simulator.port", "0").trim()),
                ZatcaEnvironment.fromId(p.getProperty("simulator.environment", "developer-portal")),
                Duration.parse(p.getProperty("simulator.production-csid-validity", "P365D").trim()),
                Duration.parse(p.getProperty("simulator.compliance-csid-validity", "P365D").trim()),
                Boolean.parseBoolean(p.getProperty("simulator.strict-validation", "false").trim()),
                p.getProperty("simulator.demo-otp", "").trim(),
                Integer.parseInt(p.getProperty("simulator.max-body-bytes", String.valueOf(5 * 1024 * 1024)).trim()),
                Boolean.parseBoolean(p.getProperty("simulator.clearance-enabled", "true").trim()),
                Boolean.parseBoolean(p.getProperty("simulator.renewal-requires-compliance", "false").trim()),
                Integer.parseInt(p.getProperty("simulator.threads", "8").trim()));
    }

    /** The path ZATCA's environment lives under, e.g. {@code /e-invoicing/developer-portal}. */
    public String basePath() {
        return "/e-invoicing/" + environment.id();
    }
}
