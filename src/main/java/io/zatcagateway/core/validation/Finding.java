package io.zatcagateway.core.validation;

/**
 * One failed rule: its code (ZATCA's, EN 16931's or the gateway's own), severity, a message a person can act on,
 * and where in the document (an XPath-like location, or a field name).
 */
public record Finding(String code, Severity severity, String message, String location) {

    public static Finding error(String code, String message, String location) {
        return new Finding(code, Severity.ERROR, message, location);
    }

    public static Finding warning(String code, String message, String location) {
        return new Finding(code, Severity.WARNING, message, location);
    }

    @Override
    public String toString() {
        return severity + " " + code + " at " + location + ": " + message;
    }
}
