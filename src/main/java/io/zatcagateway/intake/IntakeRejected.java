package io.zatcagateway.intake;

import io.zatcagateway.core.validation.Finding;
import java.util.List;

/**
 * A document (or a whole input) the gateway will not take, with every reason: each a rule or check code, a message a
 * person can act on, and where. Rejected input goes to the error folder with these reasons; it is never retried.
 */
public final class IntakeRejected extends Exception {
    private final List<Finding> findings;

    public IntakeRejected(List<Finding> findings) {
        super(summary(findings));
        this.findings = List.copyOf(findings);
    }

    public IntakeRejected(String code, String message, String location) {
        this(List.of(Finding.error(code, message, location)));
    }

    public List<Finding> findings() {
        return findings;
    }

    private static String summary(List<Finding> findings) {
        return String.join("; ", findings.stream().map(f -> f.code() + " " + f.message()).toList());
    }
}
