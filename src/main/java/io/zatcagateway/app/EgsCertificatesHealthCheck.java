package io.zatcagateway.app;

import io.zatcagateway.egs.CertificateLifecycle;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the EGS units' certificates: DOWN when any production certificate has expired (that EGS cannot sign),
 * UP otherwise; details name each EGS with its state (UP, or WARNING within 30 days of expiry) and expiry.
 */
public final class EgsCertificatesHealthCheck extends AbstractHealthCheck {
    private final GatewayServices services;

    public EgsCertificatesHealthCheck(GatewayServices services) {
        super("gateway", "egs-certificates");
        this.services = services;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, CertificateLifecycle.Status> statuses = services.certificateStatuses();
        boolean down = false;
        boolean warning = false;
        for (Map.Entry<String, CertificateLifecycle.Status> e : statuses.entrySet()) {
            builder.detail("egs." + e.getKey(), e.getValue().state() + ": " + e.getValue().describe());
            down |= e.getValue().state() == CertificateLifecycle.State.DOWN;
            warning |= e.getValue().state() == CertificateLifecycle.State.WARNING;
        }
        builder.detail("certificates", down ? "DOWN" : warning ? "WARNING" : "UP");
        if (down) {
            builder.message("an EGS production certificate has expired").down();
        } else {
            builder.message(warning ? "an EGS production certificate expires within 30 days" : "all EGS certificates valid").up();
        }
    }
}
