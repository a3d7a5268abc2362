package io.zatcagateway.core.ubl;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.VatExemption;
import io.zatcagateway.core.xml.Dom;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds unsigned ZATCA-profiled UBL 2.1 documents from a small model, with every total computed in
 * {@link BigDecimal} (half-up to 2 decimals) so that the EN 16931 calculation rules hold. Used for the onboarding
 * compliance scenarios, the demo, the simulator's tests and the benchmarks. ICV and PIH are left to the chain.
 */
public final class UblInvoiceBuilder {
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    /** A seller or buyer. {@code otherId}/{@code otherIdScheme}: CRN, NAT, TIN, ... */
    public record Party(String name, String vat, String otherId, String otherIdScheme, String street, String building,
                        String district, String city, String postalZone, String country) {
    }

    /** A line: quantity × unit price, VAT category S/Z/E/O with its rate, and an exemption code for Z/E/O. */
    public record Line(String name, BigDecimal quantity, BigDecimal unitPrice, String category, BigDecimal rate,
                       String exemptionCode, String exemptionReason) {
        public static Line standard(String name, String qty, String price) {
            return new Line(name, new BigDecimal(qty), new BigDecimal(price), "S", new BigDecimal("15.00"), null, null);
        }

        public static Line exempted(String name, String qty, String price, String category, String code) {
            String reason = VatExemption.reasonText(code);
            return new Line(name, new BigDecimal(qty), new BigDecimal(price), category, BigDecimal.ZERO.setScale(2), code,
                    reason != null ? reason : "Not subject to VAT");
        }
    }

    private String id = "INV-1";
    private String uuid = "3cf5ee18-ee25-44ea-a444-2c37ba7f28be";
    private String issueDate = "2026-01-15";
    private String issueTime = "10:15:00";
    private DocumentType type = DocumentType.INVOICE;
    private boolean simplified;
    private String currency = "SAR";
    private BigDecimal sarRate = BigDecimal.ONE;
    private Party seller;
    private Party buyer;
    private String billingReference;
    private String noteReason;
    private String paymentMeansCode = "10";
    private String supplyDate;
    private String note;
    private BigDecimal documentAllowance;
    private final List<Line> lines = new ArrayList<>();

    public UblInvoiceBuilder id(String v) { this.id = v; return this; }
    public UblInvoiceBuilder uuid(String v) { this.uuid = v; return this; }
    public UblInvoiceBuilder issued(String date, String time) { this.issueDate = date; this.issueTime = time; return this; }
    public UblInvoiceBuilder type(DocumentType v) { this.type = v; return this; }
    public UblInvoiceBuilder simplified(boolean v) { this.simplified = v; return this; }
    /** Document currency and how many SAR one unit is worth (for the SAR tax total, BT-111). */
    public UblInvoiceBuilder currency(String code, String sarPerUnit) { this.currency = code; this.sarRate = new BigDecimal(sarPerUnit); return this; }
    public UblInvoiceBuilder seller(Party v) { this.seller = v; return this; }
    public UblInvoiceBuilder buyer(Party v) { this.buyer = v; return this; }
    /** For credit and debit notes: the original invoice number (BT-25) and the reason (KSA-10). */
    public UblInvoiceBuilder noteFor(String originalInvoiceId, String reason) { this.billingReference = originalInvoiceId; this.noteReason = reason; return this; }
    public UblInvoiceBuilder paymentMeans(String code) { this.paymentMeansCode = code; return this; }
    public UblInvoiceBuilder supplyDate(String v) { this.supplyDate = v; return this; }
    public UblInvoiceBuilder note(String v) { this.note = v; return this; }
    /** A document-level discount on the standard-rated (S, 15%) part. */
    public UblInvoiceBuilder discount(String amount) { this.documentAllowance = new BigDecimal(amount); return this; }
    public UblInvoiceBuilder line(Line v) { this.lines.add(v); return this; }

    public String id() { return id; }

    private static BigDecimal r2(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    private static String a(BigDecimal v) {
        return r2(v).toPlainString();
    }

    private record CategoryKey(String category, BigDecimal rate, String code, String reason) {
    }

    public String build() {
        Objects.requireNonNull(seller, "seller");
        if (lines.isEmpty()) {
            throw new IllegalStateException("a document needs at least one line");
        }
        String cur = currency;
        String typeName = (simplified ? "02" : "01") + "00000";
        Map<CategoryKey, BigDecimal[]> subtotals = new LinkedHashMap<>();
        BigDecimal lineTotal = BigDecimal.ZERO;
        StringBuilder lineXml = new StringBuilder();
        int n = 0;
        for (Line l : lines) {
            n++;
            BigDecimal net = r2(l.quantity().multiply(l.unitPrice()));
            BigDecimal vat = r2(net.multiply(l.rate()).divide(HUNDRED));
            lineTotal = lineTotal.add(net);
            CategoryKey key = new CategoryKey(l.category(), r2(l.rate()), l.exemptionCode(), l.exemptionReason());
            subtotals.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO})[0] =
                    subtotals.get(key)[0].add(net);
            lineXml.append("    <cac:InvoiceLine>\n")
                    .append("        <cbc:ID>").append(n).append("</cbc:ID>\n")
                    .append("        <cbc:InvoicedQuantity unitCode=\"PCE\">").append(l.quantity().toPlainString()).append("</cbc:InvoicedQuantity>\n")
                    .append("        <cbc:LineExtensionAmount currencyID=\"").append(cur).append("\">").append(a(net)).append("</cbc:LineExtensionAmount>\n")
                    .append("        <cac:TaxTotal>\n")
                    .append("            <cbc:TaxAmount currencyID=\"").append(cur).append("\">").append(a(vat)).append("</cbc:TaxAmount>\n")
                    .append("            <cbc:RoundingAmount currencyID=\"").append(cur).append("\">").append(a(net.add(vat))).append("</cbc:RoundingAmount>\n")
                    .append("        </cac:TaxTotal>\n")
                    .append("        <cac:Item>\n")
                    .append("            <cbc:Name>").append(Dom.escape(l.name(), false)).append("</cbc:Name>\n")
                    .append("            <cac:ClassifiedTaxCategory>\n")
                    .append("                <cbc:ID>").append(l.category()).append("</cbc:ID>\n")
                    .append("                <cbc:Percent>").append(a(l.rate())).append("</cbc:Percent>\n")
                    .append("                <cac:TaxScheme>\n                    <cbc:ID>VAT</cbc:ID>\n                </cac:TaxScheme>\n")
                    .append("            </cac:ClassifiedTaxCategory>\n")
                    .append("        </cac:Item>\n")
                    .append("        <cac:Price>\n")
                    .append("            <cbc:PriceAmount currencyID=\"").append(cur).append("\">").append(l.unitPrice().toPlainString()).append("</cbc:PriceAmount>\n")
                    .append("        </cac:Price>\n")
                    .append("    </cac:InvoiceLine>\n");
        }
        BigDecimal allowance = documentAllowance == null ? BigDecimal.ZERO : r2(documentAllowance);
        CategoryKey standardKey = new CategoryKey("S", new BigDecimal("15.00"), null, null);
        if (allowance.signum() > 0) {
            BigDecimal[] s = subtotals.get(standardKey);
            if (s == null || s[0].compareTo(allowance) < 0) {
                throw new IllegalStateException("the discount must not exceed the standard-rated amount");
            }
            s[0] = s[0].subtract(allowance);
        }
        BigDecimal taxTotal = BigDecimal.ZERO;
        StringBuilder subXml = new StringBuilder();
        for (Map.Entry<CategoryKey, BigDecimal[]> e : subtotals.entrySet()) {
            CategoryKey k = e.getKey();
            BigDecimal taxable = r2(e.getValue()[0]);
            BigDecimal tax = r2(taxable.multiply(k.rate()).divide(HUNDRED));
            taxTotal = taxTotal.add(tax);
            subXml.append("        <cac:TaxSubtotal>\n")
                    .append("            <cbc:TaxableAmount currencyID=\"").append(cur).append("\">").append(a(taxable)).append("</cbc:TaxableAmount>\n")
                    .append("            <cbc:TaxAmount currencyID=\"").append(cur).append("\">").append(a(tax)).append("</cbc:TaxAmount>\n")
                    .append("            <cac:TaxCategory>\n")
                    .append("                <cbc:ID schemeID=\"UN/ECE 5305\" schemeAgencyID=\"6\">").append(k.category()).append("</cbc:ID>\n")
                    .append("                <cbc:Percent>").append(a(k.rate())).append("</cbc:Percent>\n");
            if (k.code() != null) {
                subXml.append("                <cbc:TaxExemptionReasonCode>").append(k.code()).append("</cbc:TaxExemptionReasonCode>\n")
                        .append("                <cbc:TaxExemptionReason>").append(Dom.escape(k.reason(), false)).append("</cbc:TaxExemptionReason>\n");
            }
            subXml.append("                <cac:TaxScheme>\n                    <cbc:ID schemeID=\"UN/ECE 5153\" schemeAgencyID=\"6\">VAT</cbc:ID>\n                </cac:TaxScheme>\n")
                    .append("            </cac:TaxCategory>\n")
                    .append("        </cac:TaxSubtotal>\n");
        }
        BigDecimal exclusive = lineTotal.subtract(allowance);
        BigDecimal inclusive = exclusive.add(taxTotal);

        StringBuilder x = new StringBuilder(16 * 1024);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"")
                .append(" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\"")
                .append(" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\"")
                .append(" xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\">\n")
                .append("    <cbc:ProfileID>reporting:1.0</cbc:ProfileID>\n")
                .append("    <cbc:ID>").append(Dom.escape(id, false)).append("</cbc:ID>\n")
                .append("    <cbc:UUID>").append(uuid).append("</cbc:UUID>\n")
                .append("    <cbc:IssueDate>").append(issueDate).append("</cbc:IssueDate>\n")
                .append("    <cbc:IssueTime>").append(issueTime).append("</cbc:IssueTime>\n")
                .append("    <cbc:InvoiceTypeCode name=\"").append(typeName).append("\">").append(type.code()).append("</cbc:InvoiceTypeCode>\n");
        if (note != null) {
            x.append("    <cbc:Note>").append(Dom.escape(note, false)).append("</cbc:Note>\n");
        }
        x.append("    <cbc:DocumentCurrencyCode>").append(cur).append("</cbc:DocumentCurrencyCode>\n")
                .append("    <cbc:TaxCurrencyCode>SAR</cbc:TaxCurrencyCode>\n");
        if (billingReference != null) {
            x.append("    <cac:BillingReference>\n        <cac:InvoiceDocumentReference>\n")
                    .append("            <cbc:ID>").append(Dom.escape(billingReference, false)).append("</cbc:ID>\n")
                    .append("        </cac:InvoiceDocumentReference>\n    </cac:BillingReference>\n");
        }
        x.append("    <cac:AccountingSupplierParty>\n");
        party(x, seller);
        x.append("    </cac:AccountingSupplierParty>\n");
        x.append("    <cac:AccountingCustomerParty>\n");
        if (buyer != null) {
            party(x, buyer);
        } else {
            x.append("        <cac:Party>\n            <cac:PartyLegalEntity>\n                <cbc:RegistrationName/>\n            </cac:PartyLegalEntity>\n        </cac:Party>\n");
        }
        x.append("    </cac:AccountingCustomerParty>\n");
        String delivery = supplyDate != null ? supplyDate : (!simplified && type == DocumentType.INVOICE ? issueDate : null);
        if (delivery != null) {
            x.append("    <cac:Delivery>\n        <cbc:ActualDeliveryDate>").append(delivery).append("</cbc:ActualDeliveryDate>\n    </cac:Delivery>\n");
        }
        x.append("    <cac:PaymentMeans>\n        <cbc:PaymentMeansCode>").append(paymentMeansCode).append("</cbc:PaymentMeansCode>\n");
        if (noteReason != null) {
            x.append("        <cbc:InstructionNote>").append(Dom.escape(noteReason, false)).append("</cbc:InstructionNote>\n");
        }
        x.append("    </cac:PaymentMeans>\n");
        if (allowance.signum() > 0) {
            x.append("    <cac:AllowanceCharge>\n")
                    .append("        <cbc:ChargeIndicator>false</cbc:ChargeIndicator>\n")
                    .append("        <cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>\n")
                    .append("        <cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>\n")
                    .append("        <cbc:Amount currencyID=\"").append(cur).append("\">").append(a(allowance)).append("</cbc:Amount>\n")
                    .append("        <cac:TaxCategory>\n")
                    .append("            <cbc:ID schemeID=\"UN/ECE 5305\" schemeAgencyID=\"6\">S</cbc:ID>\n")
                    .append("            <cbc:Percent>15.00</cbc:Percent>\n")
                    .append("            <cac:TaxScheme>\n                <cbc:ID schemeID=\"UN/ECE 5153\" schemeAgencyID=\"6\">VAT</cbc:ID>\n            </cac:TaxScheme>\n")
                    .append("        </cac:TaxCategory>\n")
                    .append("    </cac:AllowanceCharge>\n");
        }
        x.append("    <cac:TaxTotal>\n        <cbc:TaxAmount currencyID=\"SAR\">").append(a(taxTotal.multiply(sarRate))).append("</cbc:TaxAmount>\n    </cac:TaxTotal>\n");
        x.append("    <cac:TaxTotal>\n        <cbc:TaxAmount currencyID=\"").append(cur).append("\">").append(a(taxTotal)).append("</cbc:TaxAmount>\n")
                .append(subXml).append("    </cac:TaxTotal>\n");
        x.append("    <cac:LegalMonetaryTotal>\n")
                .append("        <cbc:LineExtensionAmount currencyID=\"").append(cur).append("\">").append(a(lineTotal)).append("</cbc:LineExtensionAmount>\n")
                .append("        <cbc:TaxExclusiveAmount currencyID=\"").append(cur).append("\">").append(a(exclusive)).append("</cbc:TaxExclusiveAmount>\n")
                .append("        <cbc:TaxInclusiveAmount currencyID=\"").append(cur).append("\">").append(a(inclusive)).append("</cbc:TaxInclusiveAmount>\n")
                .append("        <cbc:AllowanceTotalAmount currencyID=\"").append(cur).append("\">").append(a(allowance)).append("</cbc:AllowanceTotalAmount>\n")
                .append("        <cbc:PrepaidAmount currencyID=\"").append(cur).append("\">0.00</cbc:PrepaidAmount>\n")
                .append("        <cbc:PayableAmount currencyID=\"").append(cur).append("\">").append(a(inclusive)).append("</cbc:PayableAmount>\n")
                .append("    </cac:LegalMonetaryTotal>\n");
        x.append(lineXml).append("</Invoice>\n");
        return x.toString();
    }

    private static void party(StringBuilder x, Party p) {
        x.append("        <cac:Party>\n");
        if (p.otherId() != null) {
            x.append("            <cac:PartyIdentification>\n                <cbc:ID schemeID=\"").append(p.otherIdScheme()).append("\">")
                    .append(Dom.escape(p.otherId(), false)).append("</cbc:ID>\n            </cac:PartyIdentification>\n");
        }
        x.append("            <cac:PostalAddress>\n");
        opt(x, "StreetName", p.street());
        opt(x, "BuildingNumber", p.building());
        opt(x, "CitySubdivisionName", p.district());
        opt(x, "CityName", p.city());
        opt(x, "PostalZone", p.postalZone());
        x.append("                <cac:Country>\n                    <cbc:IdentificationCode>").append(p.country() == null ? "SA" : p.country())
                .append("</cbc:IdentificationCode>\n                </cac:Country>\n");
        x.append("            </cac:PostalAddress>\n");
        x.append("            <cac:PartyTaxScheme>\n");
        if (p.vat() != null) {
            x.append("                <cbc:CompanyID>").append(p.vat()).append("</cbc:CompanyID>\n");
        }
        x.append("                <cac:TaxScheme>\n                    <cbc:ID>VAT</cbc:ID>\n                </cac:TaxScheme>\n            </cac:PartyTaxScheme>\n");
        x.append("            <cac:PartyLegalEntity>\n                <cbc:RegistrationName>").append(Dom.escape(p.name(), false))
                .append("</cbc:RegistrationName>\n            </cac:PartyLegalEntity>\n");
        x.append("        </cac:Party>\n");
    }

    private static void opt(StringBuilder x, String name, String v) {
        if (v != null) {
            x.append("                <cbc:").append(name).append('>').append(Dom.escape(v, false)).append("</cbc:").append(name).append(">\n");
        }
    }
}
