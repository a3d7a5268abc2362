package io.zatcagateway.app;

import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.egs.CertificateLifecycle;
import io.zatcagateway.egs.CertificateWatch;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.KeyVault;
import io.zatcagateway.egs.Onboarding;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own services inside Camel: the embedded Fatoora simulator (default profile), the EGS units and their
 * vault, the demo onboarding, and the certificate watch. Bound in the registry as {@code gateway} for the routes.
 */
public final class GatewayServices extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServices.class);

    private final Properties properties;
    private FatooraSimulator simulator;
    private GatewayContext context;
    private KeyVault vault;
    private CertificateWatch watch;

    public GatewayServices(Properties properties) {
        this.properties = properties;
    }

    private boolean flag(String key, boolean def) {
        return Boolean.parseBoolean(properties.getProperty(key, String.valueOf(def)).trim());
    }

    @Override
    protected void doStart() throws Exception {
        String simulatorUrl = null;
        if (flag("gateway.simulator.embedded", true)) {
            SimulatorConfig c = SimulatorConfig.from(properties);
            simulator = new FatooraSimulator(c).start();
            simulatorUrl = simulator.baseUrl();
            LOG.info("embedded Fatoora simulator: {}", simulatorUrl);
        }
        context = new GatewayContext(properties, simulatorUrl);
        if (flag("gateway.demo", false) && System.getenv("ZGW_VAULT_PASSWORD") == null) {
            KeyVault.createPasswordFileIfAbsent(context.passwordFile());
        }
        vault = context.vault();
        String demoOtp = properties.getProperty("simulator.demo-otp", "").trim();
        for (EgsConfig egs : context.egs().values()) {
            if (simulator != null && egs.environment() == ZatcaEnvironment.SIMULATOR && !demoOtp.isEmpty()) {
                // the embedded simulator keeps its CA and CSIDs in memory: what an earlier run onboarded is unknown to it now
                Files.deleteIfExists(vault.file(egs.environment().id(), egs.id()));
                new Onboarding(egs, vault, context.client(egs), new PrintStream(System.out, true)).onboard(() -> demoOtp);
            }
            LOG.info("EGS {} ({}): {}", egs.id(), egs.environment().id(), describe(egs));
        }
        watch = new CertificateWatch(vault, context.egs());
    }

    @Override
    protected void doStop() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    private String describe(EgsConfig egs) {
        CertificateLifecycle.Status s = new CertificateWatch(vault, Map.of(egs.id(), egs)).statuses(Instant.now()).get(egs.id());
        return s == null ? "not onboarded" : "ONBOARDED, " + s.describe();
    }

    /** Alerts due now, each once (see {@link CertificateWatch}), as event bodies for the events topic. */
    public List<Map<String, Object>> certificateAlerts() {
        return watch.check(Instant.now()).events();
    }

    /** Certificate status per onboarded EGS, without side effects (for the health check). */
    public Map<String, CertificateLifecycle.Status> certificateStatuses() {
        return watch == null ? Map.of() : watch.statuses(Instant.now());
    }

    public GatewayContext context() {
        return context;
    }

    /** The embedded simulator's base URL, or null when the gateway talks to ZATCA. */
    public String simulatorBaseUrl() {
        return simulator == null ? null : simulator.baseUrl();
    }
}
