package io.zatcagateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's notion of now: the real clock plus an offset that drills and tests can advance (OTP and CSID expiry). */
public final class SimClock {
    private final AtomicLong offsetMillis = new AtomicLong();

    public Instant now() {
        return Instant.now().plusMillis(offsetMillis.get());
    }

    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }
}
