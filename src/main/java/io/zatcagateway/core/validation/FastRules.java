package io.zatcagateway.core.validation;

import io.zatcagateway.core.Crypto;
import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.TransactionFlags;
import io.zatcagateway.core.VatExemption;
import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The pre-flight that runs on every document: ZATCA's KSA rules (BR-KSA-*) written from ZATCA's rule texts, and
 * the EN 16931 calculation and decimal rules (BR-CO-*, BR-DEC-*, BR-x-08) that cause most rejections, each with
 * the severity ZATCA gives it. Pure DOM navigation, no XPath, no schematron: well under a millisecond.
 */
final class FastRules {
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    // compiled once: String.matches compiles its expression on every call (about 1% of an end-to-end profile's samples
    // went to compiling expressions on the per-document path)
    private static final Pattern UUID_CHARS = Pattern.compile("[A-Za-z0-9-]+");
    private static final Pattern ONE_OR_TWO_DIGITS = Pattern.compile("[0-9]{1,2}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern LETTERS_DIGITS = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern FOUR_DIGITS = Pattern.compile("[0-9]{4}");
    private static final Pattern FIVE_DIGITS = Pattern.compile("[0-9]{5}");
    private static final Pattern VAT = Pattern.compile("3[0-9]{13}3");
    private static final Set<String> TYPE_CODES = Set.of("388", "383", "381", "386");
    private static final Set<String> SELLER_SCHEMES = Set.of("CRN", "MOM", "MLS", "SAG", "OTH", "700");
    private static final Set<String> BUYER_SCHEMES = Set.of("TIN", "CRN", "MOM", "MLS", "700", "SAG", "NAT", "GCC", "IQA", "PAS", "OTH");
    private static final Set<String> CATEGORIES = Set.of("S", "Z", "E", "O");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    /** EN 16931 decimal rules: amount element (parent/local name) → rule code. */
    private static final Map<String, String> DECIMAL_RULES = Map.ofEntries(
            Map.entry("LegalMonetaryTotal/LineExtensionAmount", "BR-DEC-09"),
            Map.entry("LegalMonetaryTotal/AllowanceTotalAmount", "BR-DEC-10"),
            Map.entry("LegalMonetaryTotal/ChargeTotalAmount", "BR-DEC-11"),
            Map.entry("LegalMonetaryTotal/TaxExclusiveAmount", "BR-DEC-12"),
            Map.entry("LegalMonetaryTotal/TaxInclusiveAmount", "BR-DEC-14"),
            Map.entry("LegalMonetaryTotal/PrepaidAmount", "BR-DEC-16"),
            Map.entry("LegalMonetaryTotal/PayableRoundingAmount", "BR-DEC-17"),
            Map.entry("LegalMonetaryTotal/PayableAmount", "BR-DEC-18"),
            Map.entry("TaxSubtotal/TaxableAmount", "BR-DEC-19"),
            Map.entry("TaxSubtotal/TaxAmount", "BR-DEC-20"),
            Map.entry("InvoiceLine/LineExtensionAmount", "BR-DEC-23"));

    private final Element root;
    private final InvoiceFacts facts;
    private final PreflightOptions options;
    private final List<Finding> out = new ArrayList<>();
    private final Map<String, Severity> severities;

    private FastRules(Element root, InvoiceFacts facts, PreflightOptions options, Map<String, Severity> severities) {
        this.root = root;
        this.facts = facts;
        this.options = options;
        this.severities = severities;
    }

    static List<Finding> check(Element root, InvoiceFacts facts, PreflightOptions options) {
        FastRules r = new FastRules(root, facts, options, ZatcaSeverity.table());
        r.header();
        if (options.stage() == PreflightOptions.Stage.SIGNED) {
            r.chainAndStamp();
        }
        r.seller();
        r.buyer();
        r.taxCategories();
        r.lines();
        r.totals();
        r.amounts(root);
        return r.out;
    }

    // ------------------------------------------------------------------ reporting

    private void error(String code, String message, String location) {
        out.add(Finding.error(code, message, location));
    }

    private void warning(String code, String message, String location) {
        out.add(Finding.warning(code, message, location));
    }

    /** Reports with the severity ZATCA's rule files give the rule (EN rules ZATCA does not apply are info). */
    private void rule(String code, String message, String location) {
        Severity s = severities.get(code);
        out.add(new Finding(code, s == null ? Severity.INFO : s, message, location));
    }

    private static BigDecimal dec(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private BigDecimal amount(Element from, String... path) {
        return dec(Dom.text(from, path));
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a != null && b != null && a.compareTo(b) == 0;
    }

    private static BigDecimal r2(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    // ------------------------------------------------------------------ header

    private void header() {
        String profile = Dom.text(root, "cbc:ProfileID");
        if (!"reporting:1.0".equals(profile)) {
            error("BR-KSA-EN16931-01", "business process (BT-23, cbc:ProfileID) must be 'reporting:1.0', found '" + profile + "'", "/Invoice/cbc:ProfileID");
        }
        if (blank(facts.id())) {
            rule("BR-02", "the invoice number (BT-1, cbc:ID) is missing", "/Invoice/cbc:ID");
        }
        if (blank(facts.uuid()) || !UUID_CHARS.matcher(facts.uuid()).matches()) {
            error("BR-KSA-03", "UUID (KSA-1, cbc:UUID) must be present and contain only letters, digits and dashes, found '" + facts.uuid() + "'", "/Invoice/cbc:UUID");
        }
        String date = facts.issueDate();
        if (blank(date)) {
            rule("BR-03", "the issue date (BT-2, cbc:IssueDate) is missing", "/Invoice/cbc:IssueDate");
        } else if (!DATE.matcher(date).matches()) {
            warning("BR-KSA-F-01", "issue date '" + date + "' must be formatted YYYY-MM-DD", "/Invoice/cbc:IssueDate");
        } else {
            try {
                if (LocalDate.parse(date).isAfter(options.today())) {
                    error("BR-KSA-04", "issue date " + date + " is in the future (today is " + options.today() + ")", "/Invoice/cbc:IssueDate");
                }
            } catch (DateTimeParseException e) {
                warning("BR-KSA-F-01", "issue date '" + date + "' is not a calendar date", "/Invoice/cbc:IssueDate");
            }
        }
        if (blank(facts.issueTime()) || !TIME.matcher(facts.issueTime()).matches()) {
            error("BR-KSA-70", "issue time (KSA-25, cbc:IssueTime) must be hh:mm:ss or hh:mm:ssZ, found '" + facts.issueTime() + "'", "/Invoice/cbc:IssueTime");
        }
        if (facts.typeCode() == null || !TYPE_CODES.contains(facts.typeCode())) {
            error("BR-KSA-05", "invoice type code (BT-3) must be 388, 381, 383 or 386, found '" + facts.typeCode() + "'", "/Invoice/cbc:InvoiceTypeCode");
        }
        TransactionFlags flags = facts.flags();
        if (flags == null || !TransactionFlags.isWellFormed(flags.raw())) {
            error("BR-KSA-06", "invoice transaction code (KSA-2, InvoiceTypeCode/@name) must be 7 digits 0/1 starting 01 (standard) or 02 (simplified), found '"
                    + (flags == null ? null : flags.raw()) + "'", "/Invoice/cbc:InvoiceTypeCode/@name");
        } else {
            if (flags.selfBilled() && flags.export()) {
                error("BR-KSA-07", "self-billing (position 7) is not allowed for export invoices (position 5)", "/Invoice/cbc:InvoiceTypeCode/@name");
            }
            if (flags.simplified() && (flags.export() || flags.selfBilled())) {
                error("BR-KSA-31", "a simplified document may only set the third-party, nominal and summary flags, found '" + flags.raw() + "'", "/Invoice/cbc:InvoiceTypeCode/@name");
            }
        }
        String currency = facts.currency();
        if (currency == null || !CURRENCIES.contains(currency)) {
            error("BR-KSA-CL-01", "document currency (BT-5) '" + currency + "' is not an ISO 4217 code", "/Invoice/cbc:DocumentCurrencyCode");
        }
        String taxCurrency = Dom.text(root, "cbc:TaxCurrencyCode");
        if (blank(taxCurrency)) {
            error("BR-KSA-68", "tax currency code (BT-6, cbc:TaxCurrencyCode) must be present", "/Invoice/cbc:TaxCurrencyCode");
        } else if (!"SAR".equals(taxCurrency)) {
            error("BR-KSA-EN16931-02", "VAT accounting currency (BT-6) must be SAR, found '" + taxCurrency + "'", "/Invoice/cbc:TaxCurrencyCode");
        }
        if (facts.type() != null && facts.type().isNote()) {
            if (blank(Dom.text(root, "cac:PaymentMeans", "cbc:InstructionNote"))) {
                error("BR-KSA-17", "a " + (facts.type() == DocumentType.CREDIT_NOTE ? "credit" : "debit")
                        + " note must state the reason for issuing it (KSA-10, cac:PaymentMeans/cbc:InstructionNote)", "/Invoice/cac:PaymentMeans/cbc:InstructionNote");
            }
            if (blank(facts.billingReference())) {
                warning("BR-KSA-56", "a credit or debit note must reference the original invoice (BT-25, cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID)",
                        "/Invoice/cac:BillingReference");
            }
        }
        if (facts.type() == DocumentType.INVOICE && flags != null && flags.standard() && blank(facts.supplyDate())) {
            warning("BR-KSA-15", "a standard tax invoice must carry the supply date (KSA-5, cac:Delivery/cbc:ActualDeliveryDate)", "/Invoice/cac:Delivery");
        }
        for (Element pm : Dom.children(root, Ns.CAC, "PaymentMeans")) {
            String code = Dom.text(pm, "cbc:PaymentMeansCode");
            if (code != null && !paymentMeansCode(code)) {
                warning("BR-KSA-16", "payment means code '" + code + "' is not in ZATCA's UNTDID 4461 subset", "/Invoice/cac:PaymentMeans/cbc:PaymentMeansCode");
            }
        }
        Element delivery = Dom.child(root, Ns.CAC, "Delivery");
        String end = Dom.text(delivery, "cbc:LatestDeliveryDate");
        if (end != null) {
            String start = Dom.text(delivery, "cbc:ActualDeliveryDate");
            if (start == null) {
                warning("BR-KSA-35", "a supply end date (KSA-24) needs a supply date (KSA-5)", "/Invoice/cac:Delivery");
            } else if (end.compareTo(start) < 0) {
                warning("BR-KSA-36", "supply end date " + end + " is before the supply date " + start, "/Invoice/cac:Delivery/cbc:LatestDeliveryDate");
            }
        }
    }

    private static boolean paymentMeansCode(String c) {
        if (c.equals("ZZZ")) {
            return true;
        }
        if (!ONE_OR_TWO_DIGITS.matcher(c).matches()) {
            return false;
        }
        int n = Integer.parseInt(c);
        return (n >= 1 && n <= 68) || n == 70 || (n >= 74 && n <= 78) || (n >= 91 && n <= 97);
    }

    // ------------------------------------------------------------------ chain, QR, signature (signed documents)

    private void chainAndStamp() {
        String loc = "/Invoice/cac:AdditionalDocumentReference";
        if (blank(facts.icvText())) {
            error("BR-KSA-33", "the invoice counter value (KSA-16, AdditionalDocumentReference ICV/cbc:UUID) is missing", loc + "[cbc:ID='ICV']");
        } else if (!DIGITS.matcher(facts.icvText()).matches()) {
            error("BR-KSA-34", "the invoice counter value must contain only digits, found '" + facts.icvText() + "'", loc + "[cbc:ID='ICV']/cbc:UUID");
        } else if (options.expectedIcv() != null && (facts.icv() == null || facts.icv().longValue() != options.expectedIcv())) {
            error("ICV-MISMATCH", "invoice counter is " + facts.icvText() + " but the EGS chain expects " + options.expectedIcv(), loc + "[cbc:ID='ICV']/cbc:UUID");
        }
        if (blank(facts.pih())) {
            warning("BR-KSA-61", "the previous invoice hash (KSA-13, AdditionalDocumentReference PIH) is missing", loc + "[cbc:ID='PIH']");
        } else {
            boolean base64;
            try {
                int len = Base64.getDecoder().decode(facts.pih()).length;
                base64 = len == 32 || len == 64;
            } catch (IllegalArgumentException e) {
                base64 = false;
            }
            if (!base64) {
                warning("BR-KSA-26", "the previous invoice hash must be a base64-encoded SHA-256, found '" + facts.pih() + "'", loc + "[cbc:ID='PIH']");
            }
            if (options.expectedPih() != null && !options.expectedPih().equals(facts.pih())) {
                error("PIH-MISMATCH", "previous invoice hash is " + facts.pih() + " but the hash of the previous document of this EGS is "
                        + options.expectedPih(), loc + "[cbc:ID='PIH']");
            }
        }
        if (blank(facts.qr())) {
            error("BR-KSA-27", "the QR code (KSA-14) is missing", loc + "[cbc:ID='QR']");
        } else {
            try {
                Base64.getDecoder().decode(facts.qr());
                if (facts.qr().length() > 700) {
                    error("BR-CL-KSA-14", "the QR code is " + facts.qr().length() + " characters; the maximum is 700", loc + "[cbc:ID='QR']");
                }
            } catch (IllegalArgumentException e) {
                error("BR-KSA-27", "the QR code is not base64", loc + "[cbc:ID='QR']");
            }
        }
        Element sigInfo = Dom.path(root, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent");
        Element info = null;
        if (sigInfo != null) {
            Element docSigs = Dom.child(sigInfo, Ns.SIG, "UBLDocumentSignatures");
            info = docSigs == null ? null : Dom.child(docSigs, Ns.SAC, "SignatureInformation");
        }
        if (info == null) {
            if (facts.simplified()) {
                warning("BR-KSA-60", "a simplified document must carry the cryptographic stamp (KSA-15)", "/Invoice/ext:UBLExtensions");
            }
        } else {
            if (!"urn:oasis:names:specification:ubl:signature:1".equals(Dom.text(Dom.child(info, Ns.CBC, "ID")))) {
                error("BR-KSA-28", "signature information ID must be urn:oasis:names:specification:ubl:signature:1", "sac:SignatureInformation/cbc:ID");
            }
            if (!"urn:oasis:names:specification:ubl:signature:Invoice".equals(Dom.text(Dom.child(info, Ns.SBC, "ReferencedSignatureID")))) {
                error("BR-KSA-29", "referenced signature ID must be urn:oasis:names:specification:ubl:signature:Invoice", "sac:SignatureInformation/sbc:ReferencedSignatureID");
            }
        }
        Element sig = Dom.child(root, Ns.CAC, "Signature");
        if ((sig != null || info != null) && !"urn:oasis:names:specification:ubl:dsig:enveloped:xades".equals(Dom.text(sig, "cbc:SignatureMethod"))) {
            error("BR-KSA-30", "cac:Signature/cbc:SignatureMethod must be urn:oasis:names:specification:ubl:dsig:enveloped:xades", "/Invoice/cac:Signature");
        }
    }

    // ------------------------------------------------------------------ parties

    private void seller() {
        Element party = Dom.path(root, "cac:AccountingSupplierParty", "cac:Party");
        String loc = "/Invoice/cac:AccountingSupplierParty/cac:Party";
        List<Element> ids = Dom.children(party, Ns.CAC, "PartyIdentification");
        long good = ids.stream().map(p -> Dom.child(p, Ns.CBC, "ID"))
                .filter(id -> id != null && SELLER_SCHEMES.contains(id.getAttribute("schemeID")) && LETTERS_DIGITS.matcher(id.getTextContent().trim()).matches())
                .count();
        if (ids.size() != 1 || good != 1) {
            error("BR-KSA-08", "the seller must have exactly one identification (BT-29) with scheme CRN, MOM, MLS, SAG, OTH or 700 and only letters and digits",
                    loc + "/cac:PartyIdentification");
        }
        Element addr = Dom.child(party, Ns.CAC, "PostalAddress");
        List<String> missing = new ArrayList<>();
        for (String f : new String[] {"StreetName", "BuildingNumber", "PostalZone", "CityName", "CitySubdivisionName"}) {
            if (blank(Dom.text(addr, "cbc:" + f))) {
                missing.add(f);
            }
        }
        if (blank(Dom.text(addr, "cac:Country", "cbc:IdentificationCode"))) {
            missing.add("Country/IdentificationCode");
        }
        if (!missing.isEmpty()) {
            warning("BR-KSA-09", "seller address lacks " + String.join(", ", missing), loc + "/cac:PostalAddress");
        }
        String building = Dom.text(addr, "cbc:BuildingNumber");
        if (building != null && !FOUR_DIGITS.matcher(building).matches()) {
            warning("BR-KSA-37", "seller building number must be 4 digits, found '" + building + "'", loc + "/cac:PostalAddress/cbc:BuildingNumber");
        }
        String postal = Dom.text(addr, "cbc:PostalZone");
        if (postal != null && !FIVE_DIGITS.matcher(postal).matches()) {
            warning("BR-KSA-66", "seller postal code must be 5 digits, found '" + postal + "'", loc + "/cac:PostalAddress/cbc:PostalZone");
        }
        String vat = facts.sellerVat();
        if (blank(vat)) {
            error("BR-KSA-39", "the seller VAT registration number (BT-31) is missing", loc + "/cac:PartyTaxScheme/cbc:CompanyID");
        } else if (!VAT.matcher(vat).matches()) {
            error("BR-KSA-40", "seller VAT number '" + vat + "' must be 15 digits, starting and ending with 3", loc + "/cac:PartyTaxScheme/cbc:CompanyID");
        }
    }

    private void buyer() {
        Element party = Dom.path(root, "cac:AccountingCustomerParty", "cac:Party");
        String loc = "/Invoice/cac:AccountingCustomerParty/cac:Party";
        boolean standard = facts.flags() != null && facts.flags().standard();
        boolean export = facts.flags() != null && facts.flags().export();
        String buyerVat = facts.buyerVat();
        Element addr = Dom.child(party, Ns.CAC, "PostalAddress");
        String country = Dom.text(addr, "cac:Country", "cbc:IdentificationCode");
        if (standard) {
            if (blank(Dom.text(party, "cac:PartyLegalEntity", "cbc:RegistrationName"))) {
                warning("BR-KSA-42", "a standard document must name the buyer (BT-44, cac:PartyLegalEntity/cbc:RegistrationName)", loc + "/cac:PartyLegalEntity");
            }
            if (blank(Dom.text(addr, "cbc:StreetName")) || blank(Dom.text(addr, "cbc:CityName")) || blank(country)) {
                warning("BR-KSA-10", "a standard document needs the buyer's street, city and country", loc + "/cac:PostalAddress");
            }
            if ("SA".equals(country)) {
                List<String> missing = new ArrayList<>();
                for (String f : new String[] {"StreetName", "BuildingNumber", "PostalZone", "CityName", "CitySubdivisionName"}) {
                    if (blank(Dom.text(addr, "cbc:" + f))) {
                        missing.add(f);
                    }
                }
                if (!missing.isEmpty()) {
                    warning("BR-KSA-63", "a buyer in SA needs a full address; missing " + String.join(", ", missing), loc + "/cac:PostalAddress");
                }
                String postal = Dom.text(addr, "cbc:PostalZone");
                if (postal != null && !FIVE_DIGITS.matcher(postal).matches()) {
                    warning("BR-KSA-67", "buyer postal code in SA must be 5 digits, found '" + postal + "'", loc + "/cac:PostalAddress/cbc:PostalZone");
                }
            }
        }
        if (!blank(buyerVat)) {
            if (export) {
                warning("BR-KSA-46", "an export invoice must not carry a buyer VAT number", loc + "/cac:PartyTaxScheme/cbc:CompanyID");
            } else if (!VAT.matcher(buyerVat).matches()) {
                error("BR-KSA-44", "buyer VAT number '" + buyerVat + "' must be 15 digits, starting and ending with 3", loc + "/cac:PartyTaxScheme/cbc:CompanyID");
            }
            if (buyerVat.equals(facts.sellerVat())) {
                error("BR-CUSTOM-VALIDATION-01", "the buyer VAT number equals the seller's", loc + "/cac:PartyTaxScheme/cbc:CompanyID");
            }
        }
        boolean hasOtherId = false;
        for (Element pi : Dom.children(party, Ns.CAC, "PartyIdentification")) {
            Element id = Dom.child(pi, Ns.CBC, "ID");
            if (id == null || blank(id.getTextContent())) {
                continue;
            }
            hasOtherId = true;
            if (!BUYER_SCHEMES.contains(id.getAttribute("schemeID"))) {
                error("BR-KSA-14", "buyer identification scheme '" + id.getAttribute("schemeID") + "' must be one of " + BUYER_SCHEMES,
                        loc + "/cac:PartyIdentification/cbc:ID/@schemeID");
            }
        }
        if (standard && blank(buyerVat) && !hasOtherId) {
            warning("BR-KSA-81", "a standard document needs the buyer's VAT number (BT-48) or another buyer identification (BT-46)",
                    loc + "/cac:PartyIdentification");
        }
    }

    // ------------------------------------------------------------------ tax categories

    private void taxCategories() {
        for (Element line : Dom.children(root, Ns.CAC, "InvoiceLine")) {
            Element cat = Dom.path(line, "cac:Item", "cac:ClassifiedTaxCategory");
            category(cat, "/Invoice/cac:InvoiceLine[" + Dom.text(line, "cbc:ID") + "]/cac:Item/cac:ClassifiedTaxCategory");
        }
        for (Element ac : Dom.children(root, Ns.CAC, "AllowanceCharge")) {
            category(Dom.child(ac, Ns.CAC, "TaxCategory"), "/Invoice/cac:AllowanceCharge/cac:TaxCategory");
            String mf = Dom.text(ac, "cbc:MultiplierFactorNumeric");
            if (mf != null) {
                percent("BR-KSA-DEC-01", mf, "/Invoice/cac:AllowanceCharge/cbc:MultiplierFactorNumeric");
            }
            chargeIndicator(ac, "/Invoice/cac:AllowanceCharge");
        }
        for (Element tt : Dom.children(root, Ns.CAC, "TaxTotal")) {
            for (Element st : Dom.children(tt, Ns.CAC, "TaxSubtotal")) {
                Element cat = Dom.child(st, Ns.CAC, "TaxCategory");
                String loc = "/Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory";
                String id = category(cat, loc);
                if (id == null || id.equals("S")) {
                    continue;
                }
                String code = Dom.text(cat, "cbc:TaxExemptionReasonCode");
                String reason = Dom.text(cat, "cbc:TaxExemptionReason");
                if (blank(code)) {
                    String rule = id.equals("E") ? "BR-KSA-23" : id.equals("Z") ? "BR-KSA-69" : "BR-KSA-24";
                    warning(rule, "a VAT breakdown of category " + id + " needs an exemption reason code (BT-121)", loc + "/cbc:TaxExemptionReasonCode");
                } else if (!VatExemption.codesFor(id).contains(code)) {
                    warning("BR-KSA-CL-04", "exemption reason code '" + code + "' is not allowed for category " + id + "; use one of "
                            + VatExemption.codesFor(id), loc + "/cbc:TaxExemptionReasonCode");
                } else {
                    String expected = VatExemption.reasonText(code);
                    if (blank(reason) || (expected != null && !Crypto.withoutWhitespace(reason).equals(Crypto.withoutWhitespace(expected)))) {
                        warning("BR-KSA-83", "exemption reason text (BT-120) for " + code + " must be '" + (expected == null ? "a free text" : expected)
                                + "', found '" + reason + "'", loc + "/cbc:TaxExemptionReason");
                    }
                }
            }
        }
    }

    /** Checks category ID and rate; returns the ID. */
    private String category(Element cat, String loc) {
        if (cat == null) {
            return null;
        }
        String id = Dom.text(cat, "cbc:ID");
        if (id == null || !CATEGORIES.contains(id)) {
            error("BR-KSA-18", "VAT category code must be S, Z, E or O, found '" + id + "'", loc + "/cbc:ID");
        }
        String pct = Dom.text(cat, "cbc:Percent");
        if (pct != null) {
            percent("BR-KSA-DEC-02", pct, loc + "/cbc:Percent");
        }
        return id;
    }

    private void percent(String code, String value, String loc) {
        BigDecimal v = dec(value);
        if (v == null || v.signum() < 0 || v.compareTo(HUNDRED) > 0 || v.scale() > 2) {
            error(code, "'" + value + "' must be a number from 0.00 to 100.00 with at most two decimals", loc);
        }
    }

    private void chargeIndicator(Element ac, String loc) {
        String ci = Dom.text(ac, "cbc:ChargeIndicator");
        if (ci != null && !ci.equals("true") && !ci.equals("false")) {
            error("BR-KSA-F-02", "ChargeIndicator must be 'true' or 'false', found '" + ci + "'", loc + "/cbc:ChargeIndicator");
        }
    }

    // ------------------------------------------------------------------ lines

    private void lines() {
        List<Element> lines = Dom.children(root, Ns.CAC, "InvoiceLine");
        if (lines.isEmpty()) {
            rule("BR-16", "the document has no invoice line (BG-25)", "/Invoice/cac:InvoiceLine");
        }
        boolean standard = facts.flags() != null && facts.flags().standard();
        for (Element line : lines) {
            String loc = "/Invoice/cac:InvoiceLine[" + Dom.text(line, "cbc:ID") + "]";
            BigDecimal net = amount(line, "cbc:LineExtensionAmount");
            Element lineTax = Dom.child(line, Ns.CAC, "TaxTotal");
            BigDecimal vat = amount(lineTax, "cbc:TaxAmount");
            BigDecimal withVat = amount(lineTax, "cbc:RoundingAmount");
            if (standard && vat == null) {
                error("BR-KSA-52", "line VAT amount (KSA-11, cac:TaxTotal/cbc:TaxAmount) is required on standard documents", loc + "/cac:TaxTotal/cbc:TaxAmount");
            }
            if (standard && withVat == null) {
                error("BR-KSA-53", "line amount with VAT (KSA-12, cac:TaxTotal/cbc:RoundingAmount) is required on standard documents", loc + "/cac:TaxTotal/cbc:RoundingAmount");
            }
            if (vat != null && vat.scale() > 2) {
                warning("BR-KSA-DEC-03", "line VAT amount " + vat.toPlainString() + " has more than two decimals", loc + "/cac:TaxTotal/cbc:TaxAmount");
            }
            if (withVat != null && withVat.scale() > 2) {
                warning("BR-KSA-DEC-04", "line amount with VAT " + withVat.toPlainString() + " has more than two decimals", loc + "/cac:TaxTotal/cbc:RoundingAmount");
            }
            if (net != null && vat != null && withVat != null && !same(withVat, net.add(vat))) {
                warning("BR-KSA-51", "line amount with VAT " + withVat.toPlainString() + " is not line net " + net.toPlainString() + " + line VAT "
                        + vat.toPlainString(), loc + "/cac:TaxTotal/cbc:RoundingAmount");
            }
            Element price = Dom.child(line, Ns.CAC, "Price");
            BigDecimal priceAmount = amount(price, "cbc:PriceAmount");
            BigDecimal baseQty = amount(price, "cbc:BaseQuantity");
            if (baseQty != null && baseQty.signum() <= 0) {
                error("BR-KSA-EN16931-12", "base quantity (BT-149) must be above zero", loc + "/cac:Price/cbc:BaseQuantity");
            }
            for (Element pac : Dom.children(price, Ns.CAC, "AllowanceCharge")) {
                if (Dom.child(pac, Ns.CBC, "ChargeIndicator") == null) {
                    error("BR-KSA-EN16931-06", "a price-level allowance needs cbc:ChargeIndicator", loc + "/cac:Price/cac:AllowanceCharge");
                }
                chargeIndicator(pac, loc + "/cac:Price/cac:AllowanceCharge");
                BigDecimal gross = amount(pac, "cbc:BaseAmount");
                BigDecimal discount = amount(pac, "cbc:Amount");
                if (gross != null && discount != null && priceAmount != null && !same(priceAmount, gross.subtract(discount))) {
                    error("BR-KSA-EN16931-07", "item net price " + priceAmount.toPlainString() + " is not gross price " + gross.toPlainString()
                            + " minus price allowance " + discount.toPlainString(), loc + "/cac:Price/cbc:PriceAmount");
                }
            }
            BigDecimal qty = amount(line, "cbc:InvoicedQuantity");
            if (qty != null && priceAmount != null && net != null) {
                BigDecimal base = baseQty == null || baseQty.signum() <= 0 ? BigDecimal.ONE : baseQty;
                BigDecimal expected = qty.multiply(priceAmount).divide(base, 10, RoundingMode.HALF_UP);
                for (Element lac : Dom.children(line, Ns.CAC, "AllowanceCharge")) {
                    BigDecimal a = amount(lac, "cbc:Amount");
                    if (a != null) {
                        expected = "true".equals(Dom.text(lac, "cbc:ChargeIndicator")) ? expected.add(a) : expected.subtract(a);
                    }
                    chargeIndicator(lac, loc + "/cac:AllowanceCharge");
                }
                if (r2(expected).compareTo(r2(net)) != 0) {
                    warning("BR-KSA-EN16931-11", "line net " + net.toPlainString() + " is not quantity × net price / base quantity ± line allowances and charges = "
                            + r2(expected).toPlainString(), loc + "/cbc:LineExtensionAmount");
                }
            }
        }
    }

    // ------------------------------------------------------------------ document totals (EN 16931)

    private void totals() {
        Element lmt = Dom.child(root, Ns.CAC, "LegalMonetaryTotal");
        String loc = "/Invoice/cac:LegalMonetaryTotal";
        List<Element> lines = Dom.children(root, Ns.CAC, "InvoiceLine");
        BigDecimal sumLines = BigDecimal.ZERO;
        Map<String, BigDecimal> perCategory = new HashMap<>();
        for (Element line : lines) {
            BigDecimal net = amount(line, "cbc:LineExtensionAmount");
            if (net != null) {
                sumLines = sumLines.add(net);
                perCategory.merge(categoryKey(Dom.path(line, "cac:Item", "cac:ClassifiedTaxCategory")), net, BigDecimal::add);
            }
        }
        BigDecimal allowances = BigDecimal.ZERO;
        BigDecimal charges = BigDecimal.ZERO;
        for (Element ac : Dom.children(root, Ns.CAC, "AllowanceCharge")) {
            BigDecimal a = amount(ac, "cbc:Amount");
            if (a == null) {
                continue;
            }
            boolean charge = "true".equals(Dom.text(ac, "cbc:ChargeIndicator"));
            if (charge) {
                charges = charges.add(a);
            } else {
                allowances = allowances.add(a);
            }
            perCategory.merge(categoryKey(Dom.child(ac, Ns.CAC, "TaxCategory")), charge ? a : a.negate(), BigDecimal::add);
        }
        BigDecimal lineExt = amount(lmt, "cbc:LineExtensionAmount");
        BigDecimal exclusive = amount(lmt, "cbc:TaxExclusiveAmount");
        BigDecimal inclusive = amount(lmt, "cbc:TaxInclusiveAmount");
        BigDecimal allowanceTotal = amount(lmt, "cbc:AllowanceTotalAmount");
        BigDecimal chargeTotal = amount(lmt, "cbc:ChargeTotalAmount");
        BigDecimal prepaid = amount(lmt, "cbc:PrepaidAmount");
        BigDecimal rounding = amount(lmt, "cbc:PayableRoundingAmount");
        BigDecimal payable = amount(lmt, "cbc:PayableAmount");
        if (lineExt != null && !same(lineExt, sumLines)) {
            rule("BR-CO-10", "sum of line net amounts is " + sumLines.toPlainString() + " but LineExtensionAmount (BT-106) is " + lineExt.toPlainString(),
                    loc + "/cbc:LineExtensionAmount");
        }
        if (allowanceTotal != null && !same(allowanceTotal, allowances)) {
            rule("BR-CO-11", "AllowanceTotalAmount (BT-107) " + allowanceTotal.toPlainString() + " is not the sum of document allowances "
                    + allowances.toPlainString(), loc + "/cbc:AllowanceTotalAmount");
        }
        if (chargeTotal != null && !same(chargeTotal, charges)) {
            rule("BR-CO-12", "ChargeTotalAmount (BT-108) " + chargeTotal.toPlainString() + " is not the sum of document charges "
                    + charges.toPlainString(), loc + "/cbc:ChargeTotalAmount");
        }
        if (exclusive != null && lineExt != null) {
            BigDecimal expected = lineExt.subtract(allowanceTotal == null ? BigDecimal.ZERO : allowanceTotal)
                    .add(chargeTotal == null ? BigDecimal.ZERO : chargeTotal);
            if (!same(exclusive, expected)) {
                rule("BR-CO-13", "TaxExclusiveAmount (BT-109) " + exclusive.toPlainString() + " is not line total − allowances + charges = "
                        + expected.toPlainString(), loc + "/cbc:TaxExclusiveAmount");
            }
        }
        Element withSubtotals = null;
        Element withoutSubtotals = null;
        int nWith = 0;
        int nWithout = 0;
        for (Element tt : Dom.children(root, Ns.CAC, "TaxTotal")) {
            if (Dom.child(tt, Ns.CAC, "TaxSubtotal") != null) {
                nWith++;
                withSubtotals = tt;
            } else {
                nWithout++;
                withoutSubtotals = tt;
            }
        }
        if (nWith != 1) {
            error("BR-KSA-EN16931-08", "exactly one cac:TaxTotal with cac:TaxSubtotal is required, found " + nWith, "/Invoice/cac:TaxTotal");
        }
        if (Dom.child(root, Ns.CBC, "TaxCurrencyCode") != null && nWithout != 1) {
            warning("BR-KSA-EN16931-09", "exactly one cac:TaxTotal without subtotals (the VAT total in SAR, BT-111) is required, found " + nWithout,
                    "/Invoice/cac:TaxTotal");
        }
        BigDecimal vatTotal = withSubtotals == null ? null : amount(withSubtotals, "cbc:TaxAmount");
        if (withSubtotals != null) {
            BigDecimal sum = BigDecimal.ZERO;
            for (Element st : Dom.children(withSubtotals, Ns.CAC, "TaxSubtotal")) {
                BigDecimal taxable = amount(st, "cbc:TaxableAmount");
                BigDecimal tax = amount(st, "cbc:TaxAmount");
                Element cat = Dom.child(st, Ns.CAC, "TaxCategory");
                BigDecimal rate = amount(cat, "cbc:Percent");
                String stLoc = "/Invoice/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='" + Dom.text(cat, "cbc:ID") + "']";
                if (tax != null) {
                    sum = sum.add(tax);
                }
                if (taxable != null && tax != null && rate != null && r2(taxable.multiply(rate).divide(HUNDRED)).compareTo(r2(tax)) != 0) {
                    rule("BR-CO-17", "VAT " + tax.toPlainString() + " is not taxable amount " + taxable.toPlainString() + " × " + rate.toPlainString()
                            + "% = " + r2(taxable.multiply(rate).divide(HUNDRED)).toPlainString(), stLoc + "/cbc:TaxAmount");
                }
                String id = Dom.text(cat, "cbc:ID");
                BigDecimal expected = perCategory.get(categoryKey(cat));
                if (id != null && CATEGORIES.contains(id) && taxable != null && expected != null && !same(taxable, expected)) {
                    rule("BR-" + id + "-08", "taxable amount of category " + id + " is " + taxable.toPlainString()
                            + " but its lines, allowances and charges add up to " + expected.toPlainString(), stLoc + "/cbc:TaxableAmount");
                }
            }
            if (vatTotal != null && vatTotal.scale() > 2) {
                rule("BR-DEC-13", "VAT total " + vatTotal.toPlainString() + " has more than two decimals", "/Invoice/cac:TaxTotal/cbc:TaxAmount");
            }
            if (vatTotal != null && !same(vatTotal, sum)) {
                rule("BR-CO-14", "VAT total (BT-110) " + vatTotal.toPlainString() + " is not the sum of the VAT breakdown " + sum.toPlainString(),
                        "/Invoice/cac:TaxTotal/cbc:TaxAmount");
            }
        }
        if (inclusive != null && exclusive != null && vatTotal != null && !same(inclusive, exclusive.add(vatTotal))) {
            rule("BR-CO-15", "TaxInclusiveAmount (BT-112) " + inclusive.toPlainString() + " is not TaxExclusiveAmount " + exclusive.toPlainString()
                    + " + VAT total " + vatTotal.toPlainString(), loc + "/cbc:TaxInclusiveAmount");
        }
        if (payable != null && inclusive != null) {
            BigDecimal expected = inclusive.subtract(prepaid == null ? BigDecimal.ZERO : prepaid).add(rounding == null ? BigDecimal.ZERO : rounding);
            if (!same(payable, expected)) {
                rule("BR-CO-16", "PayableAmount (BT-115) " + payable.toPlainString() + " is not TaxInclusiveAmount − PrepaidAmount + rounding = "
                        + expected.toPlainString(), loc + "/cbc:PayableAmount");
            }
        }
        String currency = facts.currency();
        if (currency != null) {
            currencies(root, currency, withoutSubtotals);
        }
    }

    private static String categoryKey(Element cat) {
        if (cat == null) {
            return "?";
        }
        BigDecimal pct = dec(Dom.text(cat, "cbc:Percent"));
        return Dom.text(cat, "cbc:ID") + "/" + (pct == null ? "" : pct.stripTrailingZeros().toPlainString());
    }

    /** BR-KSA-CL-02: every currencyID is the document currency, except the SAR VAT total (BT-111). */
    private void currencies(Element e, String currency, Element bt111Total) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            Element c = (Element) n;
            if (c.hasAttribute("currencyID") && !currency.equals(c.getAttribute("currencyID")) && c.getParentNode() != bt111Total) {
                error("BR-KSA-CL-02", c.getLocalName() + " has currencyID '" + c.getAttribute("currencyID") + "' but the document currency is "
                        + currency, "//" + ((Element) c.getParentNode()).getLocalName() + "/cbc:" + c.getLocalName());
            }
            currencies(c, currency, bt111Total);
        }
    }

    /** BR-KSA-F-04 (no negative amounts or quantities) and the EN decimal rules, in one walk. */
    private void amounts(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            Element c = (Element) n;
            String name = c.getLocalName();
            if (c.hasAttribute("currencyID") || name.equals("InvoicedQuantity") || name.equals("BaseQuantity")) {
                String parent = ((Element) c.getParentNode()).getLocalName();
                String text = c.getTextContent().trim();
                BigDecimal v = dec(text);
                if (v == null) {
                    error("UBL-NUMBER", name + " '" + text + "' is not a number", "//" + parent + "/cbc:" + name);
                } else {
                    if (v.signum() < 0) {
                        error("BR-KSA-F-04", name + " is negative (" + text + "); amounts and quantities must be positive", "//" + parent + "/cbc:" + name);
                    }
                    String decRule = DECIMAL_RULES.get(parent + "/" + name);
                    if (decRule != null && v.scale() > 2) {
                        rule(decRule, name + " " + text + " has more than two decimals", "//" + parent + "/cbc:" + name);
                    }
                }
            }
            amounts(c);
        }
    }
}
