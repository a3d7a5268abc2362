package io.zatcagateway.simulator;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults on demand for drills and tests: fractions of reporting/clearance requests answered 429, 500, 503 or 504,
 * added latency, requests processed but never answered (the outcome-unknown case), and an outage window.
 * Set from configuration or {@code PUT /admin/faults}; all fields are read per request.
 */
public final class Faults {
    /** The settings, as JSON on the admin endpoint. Fractions are 0.0-1.0. */
    public record Settings(double rate429, double rate500, double rate503, double rate504, long latencyMillis,
                           double dropResponseRate, long dropHoldMillis, String outageUntil) {
        public static Settings none() {
            return new Settings(0, 0, 0, 0, 0, 0, 2000, null);
        }
    }

    private volatile Settings settings = Settings.none();

    public Settings settings() {
        return settings;
    }

    public void set(Settings s) {
        if (s.rate429() + s.rate500() + s.rate503() + s.rate504() > 1.0 || s.dropResponseRate() < 0 || s.dropResponseRate() > 1.0) {
            throw new IllegalArgumentException("fault rates must be fractions from 0 to 1 that add up to at most 1");
        }
        if (s.outageUntil() != null) {
            Instant.parse(s.outageUntil());
        }
        this.settings = s;
    }

    /** The status code to fail this request with before processing, or 0 to process it. */
    int injectedStatus(Instant now) {
        Settings s = settings;
        if (s.outageUntil() != null && now.isBefore(Instant.parse(s.outageUntil()))) {
            return 503;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        if ((r -= s.rate429()) < 0) {
            return 429;
        }
        if ((r -= s.rate500()) < 0) {
            return 500;
        }
        if ((r -= s.rate503()) < 0) {
            return 503;
        }
        if ((r -= s.rate504()) < 0) {
            return 504;
        }
        return 0;
    }

    /** True when the response to this (processed) request must never arrive. */
    boolean dropResponse() {
        double rate = settings.dropResponseRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }
}
