package io.zatcagateway.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ZATCA's VAT exemption and exception reason codes (BT-121) per VAT category, with the reason text (BT-120)
 * that BR-KSA-83 expects for each (compared without spaces). {@code VATEX-SA-OOS} takes free text.
 */
public final class VatExemption {
    public static final Map<String, String> EXEMPT = new LinkedHashMap<>();
    public static final Map<String, String> ZERO_RATED = new LinkedHashMap<>();
    public static final String OUT_OF_SCOPE = "VATEX-SA-OOS";

    static {
        EXEMPT.put("VATEX-SA-29", "Financial services mentioned in Article 29 of the VAT Regulations");
        EXEMPT.put("VATEX-SA-29-7", "Life insurance services mentioned in Article 29 of the VAT Regulations");
        EXEMPT.put("VATEX-SA-30", "Real estate transactions mentioned in Article 30 of the VAT Regulations");
        ZERO_RATED.put("VATEX-SA-32", "Export of goods");
        ZERO_RATED.put("VATEX-SA-33", "Export of services");
        ZERO_RATED.put("VATEX-SA-34-1", "The international transport of Goods");
        ZERO_RATED.put("VATEX-SA-34-2", "international transport of passengers");
        ZERO_RATED.put("VATEX-SA-34-3", "services directly connected and incidental to a Supply of international passenger transport");
        ZERO_RATED.put("VATEX-SA-34-4", "Supply of a qualifying means of transport");
        ZERO_RATED.put("VATEX-SA-34-5", "Any services relating to Goods or passenger transportation, as defined in article twenty five of these Regulations");
        ZERO_RATED.put("VATEX-SA-35", "Medicines and medical equipment");
        ZERO_RATED.put("VATEX-SA-36", "Qualifying metals");
        ZERO_RATED.put("VATEX-SA-EDU", "Private education to citizen");
        ZERO_RATED.put("VATEX-SA-HEA", "Private healthcare to citizen");
        ZERO_RATED.put("VATEX-SA-MLTRY", "supply of qualified military goods");
    }

    private VatExemption() {
    }

    /** Codes allowed for a category (S has none). */
    public static Set<String> codesFor(String category) {
        return switch (category) {
            case "E" -> EXEMPT.keySet();
            case "Z" -> ZERO_RATED.keySet();
            case "O" -> Set.of(OUT_OF_SCOPE);
            default -> Set.of();
        };
    }

    /** The standard reason text for a code, or null (OOS and unknown codes). */
    public static String reasonText(String code) {
        String t = EXEMPT.get(code);
        return t != null ? t : ZERO_RATED.get(code);
    }
}
