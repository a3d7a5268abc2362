package io.zatcagateway.simulator;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time passwords as the Fatoora portal issues them: six digits, for one VAT number and one environment, valid
 * 60 minutes, usable once. A configured demo OTP is accepted any number of times (for the embedded demo only).
 */
public final class OtpRegistry {
    public static final Duration VALIDITY = Duration.ofMinutes(60);

    /** An issued OTP. */
    public record Otp(String code, String vat, String environment, Instant expiresAt) {
    }

    /** Why an OTP was refused (the API answers Invalid-OTP whatever the reason; the reason goes to the simulator log). */
    public enum Refusal { UNKNOWN, EXPIRED, USED, OTHER_ENVIRONMENT, OTHER_VAT, MALFORMED }

    private final Map<String, Otp> open = new ConcurrentHashMap<>();
    private final Map<String, Otp> used = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final SimClock clock;
    private final String demoOtp;

    public OtpRegistry(SimClock clock, String demoOtp) {
        this.clock = clock;
        this.demoOtp = demoOtp == null || demoOtp.isBlank() ? null : demoOtp.trim();
    }

    public Otp issue(String vat, String environment) {
        while (true) {
            String code = String.format("%06d", random.nextInt(1_000_000));
            Otp otp = new Otp(code, vat, environment, clock.now().plus(VALIDITY));
            if (!code.equals(demoOtp) && !used.containsKey(code) && open.putIfAbsent(code, otp) == null) {
                return otp;
            }
        }
    }

    /** Consumes the OTP if it is good for this VAT number and environment; returns null when accepted, else why not. */
    public Refusal consume(String code, String vat, String environment) {
        if (code == null || !code.matches("[0-9]{6}")) {
            return Refusal.MALFORMED;
        }
        if (code.equals(demoOtp)) {
            return null;
        }
        Otp otp = open.get(code);
        if (otp == null) {
            return used.containsKey(code) ? Refusal.USED : Refusal.UNKNOWN;
        }
        if (clock.now().isAfter(otp.expiresAt())) {
            open.remove(code);
            return Refusal.EXPIRED;
        }
        if (!otp.environment().equals(environment)) {
            return Refusal.OTHER_ENVIRONMENT;
        }
        if (vat != null && !otp.vat().equals(vat)) {
            return Refusal.OTHER_VAT;
        }
        if (open.remove(code, otp)) {
            used.put(code, otp);
            return null;
        }
        return Refusal.USED;
    }
}
