package io.zatcagateway.core;

import java.util.regex.Pattern;

/**
 * The 7-character {@code InvoiceTypeCode/@name} ("NNPNESB"): positions 1-2 {@code 01} standard / {@code 02}
 * simplified, then third party, nominal, export, summary and self-billed flags.
 */
public record TransactionFlags(String raw) {
    private static final Pattern WELL_FORMED = Pattern.compile("0[12][01]{5}");

    public static boolean isWellFormed(String raw) {
        return raw != null && WELL_FORMED.matcher(raw).matches();
    }

    public boolean standard() {
        return raw.startsWith("01");
    }

    public boolean simplified() {
        return raw.startsWith("02");
    }

    private boolean flag(int position) {
        return raw.length() >= position && raw.charAt(position - 1) == '1';
    }

    public boolean thirdParty() {
        return flag(3);
    }

    public boolean nominal() {
        return flag(4);
    }

    public boolean export() {
        return flag(5);
    }

    public boolean summary() {
        return flag(6);
    }

    public boolean selfBilled() {
        return flag(7);
    }
}
