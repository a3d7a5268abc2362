package io.zatcagateway.egs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zatcagateway.testsupport.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateLifecycleTest {
    @Test
    void upThenWarningFrom30DaysThenDownAtExpiryWithEachAlertOnce() {
        X509Certificate cert = TestPki.newIdentity(Duration.ofDays(40)).certificate();
        Instant expiry = cert.getNotAfter().toInstant();
        assertEquals(CertificateLifecycle.State.UP, CertificateLifecycle.status(cert, expiry.minus(Duration.ofDays(31))).state());
        assertEquals(List.of(), CertificateLifecycle.dueAlerts(cert, expiry.minus(Duration.ofDays(31)), Set.of()));

        Instant at29 = expiry.minus(Duration.ofDays(29));
        assertEquals(CertificateLifecycle.State.WARNING, CertificateLifecycle.status(cert, at29).state());
        assertEquals(List.of(30), CertificateLifecycle.dueAlerts(cert, at29, Set.of()));
        assertEquals(List.of(), CertificateLifecycle.dueAlerts(cert, at29, Set.of(30)));
        assertEquals(List.of(14, 7), CertificateLifecycle.dueAlerts(cert, expiry.minus(Duration.ofDays(6)), Set.of(30)));
        assertEquals(List.of(1), CertificateLifecycle.dueAlerts(cert, expiry.minus(Duration.ofHours(5)), Set.of(30, 14, 7)));

        assertEquals(CertificateLifecycle.State.DOWN, CertificateLifecycle.status(cert, expiry).state());
        assertEquals(CertificateLifecycle.State.DOWN, CertificateLifecycle.status(cert, expiry.plusSeconds(1)).state());
    }
}
