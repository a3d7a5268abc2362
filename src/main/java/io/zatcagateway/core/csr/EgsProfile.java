package io.zatcagateway.core.csr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What ZATCA needs to know about an EGS unit to certify it: the CSR fields. {@link #problems()} lists every field
 * that ZATCA would refuse, each naming the field and what is wrong, so nothing is sent that cannot succeed.
 *
 * @param commonName       CN: the EGS unit's name (free text, at most 64 bytes)
 * @param serialNumber     SAN SN: {@code 1-<solution>|2-<model or version>|3-<serial>}
 * @param vatNumber        SAN UID and organizationIdentifier: 15 digits, first and last digit 3
 * @param organizationUnit OU: branch name; for a VAT group (11th digit 1) the member's 10-digit TIN
 * @param organizationName O: the taxpayer's legal name
 * @param invoiceType      SAN title: 4 digits TSCZ, {@code 1000} standard only, {@code 0100} simplified only, {@code 1100} both
 * @param address          SAN registeredAddress: branch location
 * @param industry         SAN businessCategory
 */
public record EgsProfile(String commonName, String serialNumber, String vatNumber, String organizationUnit,
                         String organizationName, String invoiceType, String address, String industry,
                         ZatcaEnvironment environment) {

    public static boolean isVatNumber(String v) {
        return v != null && v.matches("3[0-9]{13}3");
    }

    public boolean issuesStandard() {
        return invoiceType != null && invoiceType.length() == 4 && invoiceType.charAt(0) == '1';
    }

    public boolean issuesSimplified() {
        return invoiceType != null && invoiceType.length() == 4 && invoiceType.charAt(1) == '1';
    }

    /** Every configuration problem, e.g. {@code vat: '30000' must be 15 digits starting and ending with 3}. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!isVatNumber(vatNumber)) {
            p.add("vat: '" + vatNumber + "' must be 15 digits, starting and ending with 3");
        }
        text(p, "common-name", commonName, 64);
        text(p, "organization-name", organizationName, 64);
        text(p, "organization-unit", organizationUnit, 64);
        text(p, "address", address, 128);
        text(p, "industry", industry, 64);
        if (isVatNumber(vatNumber) && vatNumber.charAt(10) == '1'
                && (organizationUnit == null || !organizationUnit.matches("[0-9]{10}"))) {
            p.add("organization-unit: the VAT number's 11th digit is 1 (a VAT group), so the organisation unit must be the member's 10-digit TIN, not '"
                    + organizationUnit + "'");
        }
        if (serialNumber == null || !serialNumber.matches("1-[^|]+\\|2-[^|]+\\|3-[^|]+")) {
            p.add("serial-number: '" + serialNumber + "' must look like 1-<solution name>|2-<model or version>|3-<device serial>");
        }
        if (invoiceType == null || !invoiceType.matches("(1000|0100|1100)")) {
            p.add("document-kinds: invoice type '" + invoiceType + "' must be 1000 (standard), 0100 (simplified) or 1100 (both)");
        }
        if (environment == null) {
            p.add("environment: missing; use simulator, developer-portal, simulation or core");
        }
        return p;
    }

    private static void text(List<String> p, String field, String value, int maxBytes) {
        if (value == null || value.isBlank()) {
            p.add(field + ": missing");
        } else if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            p.add(field + ": '" + value + "' is " + value.getBytes(StandardCharsets.UTF_8).length + " bytes, over the limit of " + maxBytes);
        }
    }
}
