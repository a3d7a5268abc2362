package io.zatcagateway.core.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The severity ZATCA's rule files give each EN 16931 rule ({@code zatca-en16931-severity.properties}). ZATCA
 * downgrades several CEN errors to warnings (BR-CO-10/13/16/17, BR-S-08/09, all BR-DEC) and does not apply some
 * CEN rules at all; those come back as INFO so that they never block a document ZATCA would accept.
 */
final class ZatcaSeverity {
    private static final Map<String, Severity> TABLE = load();

    private ZatcaSeverity() {
    }

    static Map<String, Severity> table() {
        return TABLE;
    }

    private static Map<String, Severity> load() {
        Properties p = new Properties();
        try (InputStream in = ZatcaSeverity.class.getResourceAsStream("zatca-en16931-severity.properties")) {
            if (in == null) {
                throw new IllegalStateException("zatca-en16931-severity.properties missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Severity> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), "warning".equals(v) ? Severity.WARNING : Severity.ERROR));
        return Map.copyOf(m);
    }
}
