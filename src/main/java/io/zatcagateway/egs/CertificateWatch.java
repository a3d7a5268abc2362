package io.zatcagateway.egs;

import io.zatcagateway.fatoora.Credentials;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every EGS's production certificate: its {@link CertificateLifecycle.Status}, and the 30/14/7/1-day alerts,
 * each logged once per certificate (recorded in the vault so a restart does not repeat them).
 */
public final class CertificateWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatch.class);

    private final KeyVault vault;
    private final Map<String, EgsConfig> egs;

    public CertificateWatch(KeyVault vault, Map<String, EgsConfig> egs) {
        this.vault = vault;
        this.egs = Map.copyOf(egs);
    }

    /** Status per onboarded EGS at {@code now}; logs and records the alerts that are due. */
    public Map<String, CertificateLifecycle.Status> check(Instant now) {
        Map<String, CertificateLifecycle.Status> out = new LinkedHashMap<>();
        for (EgsConfig c : egs.values()) {
            try {
                EgsSecrets s = vault.read(c.environment().id(), c.id());
                if (s == null || s.productionToken == null) {
                    continue;
                }
                var cert = new Credentials(s.productionToken, s.productionSecret).certificate();
                CertificateLifecycle.Status status = CertificateLifecycle.status(cert, now);
                out.put(c.id(), status);
                List<Integer> due = CertificateLifecycle.dueAlerts(cert, now, s.alerted);
                if (!due.isEmpty()) {
                    LOG.warn("EGS {}: production certificate {} expires at {} ({} day(s) left): renew it with 'renew {}' [alert {} days]",
                            c.id(), status.serial(), status.notAfter(), status.daysLeft(), c.id(), due.get(due.size() - 1));
                    s.alerted.addAll(due);
                    vault.write(c.environment().id(), c.id(), s);
                }
                if (status.state() == CertificateLifecycle.State.DOWN) {
                    LOG.error("EGS {}: {}", c.id(), status.describe());
                }
            } catch (Exception e) {
                LOG.error("EGS {}: certificate check failed: {}", c.id(), e.getMessage());
            }
        }
        return out;
    }
}
