package io.zatcagateway.egs;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a production certificate stands: UP, WARNING from 30 days before expiry, DOWN once expired; and which of the
 * 30/14/7/1-day alerts are due (each raised once per certificate: the caller records it in {@link EgsSecrets#alerted}).
 */
public final class CertificateLifecycle {
    public static final int[] ALERT_DAYS = {30, 14, 7, 1};

    public enum State { UP, WARNING, DOWN }

    public record Status(State state, long daysLeft, Instant notAfter, String serial) {
        public String describe() {
            return switch (state) {
                case UP -> "certificate " + serial + " valid until " + notAfter + " (" + daysLeft + " days)";
                case WARNING -> "certificate " + serial + " expires " + notAfter + ", in " + daysLeft + " day(s): renew it";
                case DOWN -> "certificate " + serial + " expired at " + notAfter + ": the EGS cannot sign; renew it";
            };
        }
    }

    private CertificateLifecycle() {
    }

    public static Status status(X509Certificate cert, Instant now) {
        Instant notAfter = cert.getNotAfter().toInstant();
        long days = Duration.between(now, notAfter).toDays();
        State s = !now.isBefore(notAfter) ? State.DOWN : days < 30 ? State.WARNING : State.UP;
        return new Status(s, Math.max(days, 0), notAfter, cert.getSerialNumber().toString());
    }

    /** Alert thresholds reached and not yet raised, e.g. [30] when 29 days are left and nothing was raised. */
    public static List<Integer> dueAlerts(X509Certificate cert, Instant now, Set<Integer> alreadyRaised) {
        long secondsLeft = Duration.between(now, cert.getNotAfter().toInstant()).getSeconds();
        List<Integer> due = new ArrayList<>();
        for (int d : ALERT_DAYS) {
            if (secondsLeft <= d * 86_400L && !alreadyRaised.contains(d)) {
                due.add(d);
            }
        }
        return due;
    }
}
