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
        return new SimulatorConfig("127.0.0.1", 0, ZatcaEnvironment.DEVELOPER_PORTAL, Duration.ofDays(365), Duration.ofDays(365),
                false, "", 5 * 1024 * 1024, true, false, 8);
    }

    private SimulatorConfig withRenewal(boolean r) {
        return new SimulatorConfig(host, port, environment, productionValidity, complianceValidity, strictValidation, demoOtp,
                maxBodyBytes, clearanceEnabled, r, threads);
    }

    public SimulatorConfig withPort(int p) {
        return new SimulatorConfig(host, p, environment, productionValidity, complianceValidity, strictValidation, demoOtp,
                maxBodyBytes, clearanceEnabled, renewalRequiresCompliance, threads);
    }

    public SimulatorConfig withProductionValidity(Duration d) {
        return new SimulatorConfig(host, port, environment, d, complianceValidity, strictValidation, demoOtp,
                maxBodyBytes, clearanceEnabled, renewalRequiresCompliance, threads);
    }

    public SimulatorConfig withDemoOtp(String otp) {
        return new SimulatorConfig(host, port, environment, productionValidity, complianceValidity, strictValidation, otp,
                maxBodyBytes, clearanceEnabled, renewalRequiresCompliance, threads);
    }

    public SimulatorConfig withStrictValidation(boolean s) {
        return new SimulatorConfig(host, port, environment, productionValidity, complianceValidity, s, demoOtp,
                maxBodyBytes, clearanceEnabled, renewalRequiresCompliance, threads);
    }

    public SimulatorConfig withMaxBodyBytes(int m) {
        return new SimulatorConfig(host, port, environment, productionValidity, complianceValidity, strictValidation, demoOtp,
                m, clearanceEnabled, renewalRequiresCompliance, threads);
    }

    public SimulatorConfig withRenewalRequiringCompliance(boolean r) {
        return withRenewal(r);
    }

    /** Reads {@code simulator.*} keys; absent keys keep their defaults. */
    public static SimulatorConfig from(Properties p) {
        SimulatorConfig d = defaults();
        return new SimulatorConfig(
                p.getProperty("simulator.host", d.host),
                Integer.parseInt(p.getProperty("simulator.port", String.valueOf(d.port)).trim()),
                ZatcaEnvironment.fromId(p.getProperty("simulator.environment", d.environment.id())),
                Duration.parse(p.getProperty("simulator.production-csid-validity", d.productionValidity.toString()).trim()),
                Duration.parse(p.getProperty("simulator.compliance-csid-validity", d.complianceValidity.toString()).trim()),
                Boolean.parseBoolean(p.getProperty("simulator.strict-validation", String.valueOf(d.strictValidation)).trim()),
                p.getProperty("simulator.demo-otp", d.demoOtp).trim(),
                Integer.parseInt(p.getProperty("simulator.max-body-bytes", String.valueOf(d.maxBodyBytes)).trim()),
                Boolean.parseBoolean(p.getProperty("simulator.clearance-enabled", String.valueOf(d.clearanceEnabled)).trim()),
                Boolean.parseBoolean(p.getProperty("simulator.renewal-requires-compliance", "false").trim()),
                Integer.parseInt(p.getProperty("simulator.threads", String.valueOf(d.threads)).trim()));
    }

    /** The path ZATCA's environment lives under, e.g. {@code /e-invoicing/developer-portal}. */
    public String basePath() {
        return "/e-invoicing/" + environment.id();
    }
}
