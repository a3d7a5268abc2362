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

    /** The statuses at a moment and the alert events that became due (each also logged and recorded). */
    public record Report(Map<String, CertificateLifecycle.Status> statuses, List<Map<String, Object>> events) {
    }

    /** Status per onboarded EGS, without raising alerts. */
    public Map<String, CertificateLifecycle.Status> statuses(Instant now) {
        Map<String, CertificateLifecycle.Status> out = new LinkedHashMap<>();
        for (EgsConfig c : egs.values()) {
            try {
                EgsSecrets s = vault.read(c.environment().id(), c.id());
                if (s != null && s.productionToken != null) {
                    out.put(c.id(), CertificateLifecycle.status(new Credentials(s.productionToken, s.productionSecret).certificate(), now));
                }
            } catch (Exception e) {
                LOG.error("EGS {}: certificate cannot be read: {}", c.id(), e.getMessage());
            }
        }
        return out;
    }

    /** Status per onboarded EGS at {@code now}; logs, records and returns the alerts that are due. */
    public Report check(Instant now) {
        Map<String, CertificateLifecycle.Status> out = new LinkedHashMap<>();
        List<Map<String, Object>> events = new java.util.ArrayList<>();
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
                    events.add(event(c, status, status.state() == CertificateLifecycle.State.DOWN ? "zatca.egs.certificate_expired"
                            : "zatca.egs.certificate_expiring", due.get(due.size() - 1), now));
                }
                if (status.state() == CertificateLifecycle.State.DOWN) {
                    LOG.error("EGS {}: {}", c.id(), status.describe());
                }
            } catch (Exception e) {
                LOG.error("EGS {}: certificate check failed: {}", c.id(), e.getMessage());
            }
        }
        return new Report(out, events);
    }

    private static Map<String, Object> event(EgsConfig c, CertificateLifecycle.Status s, String type, int threshold, Instant now) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", java.util.UUID.randomUUID().toString());
        e.put("type", type);
        e.put("timestamp", now.toString());
        e.put("egs", c.id());
        e.put("environment", c.environment().id());
        e.put("certificateSerial", s.serial());
        e.put("notAfter", s.notAfter().toString());
        e.put("daysLeft", s.daysLeft());
        e.put("alertDays", threshold);
        e.put("message", s.describe());
        return e;
    }
}
