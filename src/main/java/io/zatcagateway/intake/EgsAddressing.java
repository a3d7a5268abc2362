package io.zatcagateway.intake;

import io.zatcagateway.egs.EgsConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which EGS issues a document: among the EGS units of the document's seller VAT, the ones whose {@code route.*}
 * keys (company code, sales organisation, plant, branch, business unit) all equal the document's; the most specific
 * one wins. No match, or two equally specific ones, is an error that says what is configured; the gateway never
 * guesses.
 */
public final class EgsAddressing {
    private final Supplier<? extends Collection<EgsConfig>> source;

    /** @param units the EGS units as configured now (read on each call, so a reload is seen) */
    public EgsAddressing(Supplier<? extends Collection<EgsConfig>> units) {
        this.source = units;
    }

    public EgsConfig resolve(String sellerVat, Map<String, String> keys, boolean simplified) throws IntakeRejected {
        Collection<EgsConfig> units = source.get();
        String where = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID";
        if (sellerVat == null || sellerVat.isBlank()) {
            throw new IntakeRejected("INTAKE-UNKNOWN-EGS", "the document has no seller VAT number, so no EGS can be chosen", where);
        }
        List<EgsConfig> sameVat = units.stream().filter(u -> sellerVat.equals(u.vat())).toList();
        if (sameVat.isEmpty()) {
            throw new IntakeRejected("INTAKE-UNKNOWN-EGS", "no EGS unit is configured for seller VAT " + sellerVat
                    + " (configured VATs: " + units.stream().map(EgsConfig::vat).distinct().sorted().collect(Collectors.joining(", "))
                    + "); add config/egs/<egs-id>.properties for it", where);
        }
        List<EgsConfig> matching = new ArrayList<>();
        for (EgsConfig u : sameVat) {
            if (u.routing().entrySet().stream().allMatch(e -> e.getValue().equals(keys.get(e.getKey())))) {
                matching.add(u);
            }
        }
        if (matching.isEmpty()) {
            throw new IntakeRejected("INTAKE-UNKNOWN-EGS", "no EGS unit of seller VAT " + sellerVat + " matches the document's "
                    + describe(keys) + "; configured: " + sameVat.stream().map(u -> u.id() + " " + describe(u.routing()))
                    .collect(Collectors.joining(", ")), where);
        }
        int best = matching.stream().mapToInt(u -> u.routing().size()).max().orElse(0);
        List<EgsConfig> top = matching.stream().filter(u -> u.routing().size() == best).toList();
        if (top.size() > 1) {
            throw new IntakeRejected("INTAKE-AMBIGUOUS-EGS", "EGS units " + top.stream().map(EgsConfig::id).collect(Collectors.joining(", "))
                    + " all match seller VAT " + sellerVat + " and " + describe(keys) + "; give them distinct route.* keys", where);
        }
        EgsConfig egs = top.get(0);
        if (simplified ? !egs.simplified() : !egs.standard()) {
            throw new IntakeRejected("INTAKE-EGS-KIND", "EGS " + egs.id() + " is not certified for " + (simplified ? "simplified" : "standard")
                    + " documents (document-kinds in config/egs/" + egs.id() + ".properties)", "cbc:InvoiceTypeCode/@name");
        }
        return egs;
    }

    private static String describe(Map<String, String> keys) {
        return keys.isEmpty() ? "(no addressing keys)" : keys.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
