package io.zatcagateway.core.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The outcome of pre-flight (and of signature verification): every failed rule, in the order found. */
public final class ValidationReport {
    private final List<Finding> findings;

    public ValidationReport(List<Finding> findings) {
        this.findings = Collections.unmodifiableList(new ArrayList<>(findings));
    }

    public List<Finding> findings() {
        return findings;
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList();
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    public boolean has(String code) {
        return findings.stream().anyMatch(f -> f.code().equals(code));
    }

    public ValidationReport plus(ValidationReport other) {
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(other.findings);
        return new ValidationReport(all);
    }

    @Override
    public String toString() {
        return findings.isEmpty() ? "no findings" : String.join("\n", findings.stream().map(Finding::toString).toList());
    }
}
