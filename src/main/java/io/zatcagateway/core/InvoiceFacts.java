package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What the gateway needs to know about a UBL document, read once by direct DOM navigation.
 * Fields are null when the document lacks them; the pre-flight rules say which absences are errors.
 */
public record InvoiceFacts(
        DocumentType type,
        String typeCode,
        TransactionFlags flags,
        String id,
        String uuid,
        String issueDate,
        String issueTime,
        String supplyDate,
        String currency,
        String sellerName,
        String sellerVat,
        String buyerVat,
        String taxInclusiveAmount,
        String taxAmount,
        String payableAmount,
        String billingReference,
        Long icv,
        String icvText,
        String pih,
        String qr) {

    public static InvoiceFacts read(Document doc) {
        Element r = doc.getDocumentElement();
        Element typeEl = Dom.child(r, Ns.CBC, "InvoiceTypeCode");
        String typeCode = Dom.text(typeEl);
        String name = typeEl == null ? null : typeEl.getAttribute("name");
        String icvText = null;
        String pih = null;
        String qr = null;
        for (Element adr : Dom.children(r, Ns.CAC, "AdditionalDocumentReference")) {
            String id = Dom.text(adr, "cbc:ID");
            if ("ICV".equals(id)) {
                icvText = Dom.text(adr, "cbc:UUID");
            } else if ("PIH".equals(id)) {
                pih = Dom.text(adr, "cac:Attachment", "cbc:EmbeddedDocumentBinaryObject");
            } else if ("QR".equals(id)) {
                qr = Dom.text(adr, "cac:Attachment", "cbc:EmbeddedDocumentBinaryObject");
            }
        }
        Long icv = null;
        if (icvText != null && icvText.matches("[0-9]{1,18}")) {
            icv = Long.parseLong(icvText);
        }
        Element taxTotal = Dom.child(r, Ns.CAC, "TaxTotal");
        return new InvoiceFacts(
                DocumentType.fromCode(typeCode),
                typeCode,
                name == null || name.isEmpty() ? null : new TransactionFlags(name),
                Dom.text(r, "cbc:ID"),
                Dom.text(r, "cbc:UUID"),
                Dom.text(r, "cbc:IssueDate"),
                Dom.text(r, "cbc:IssueTime"),
                Dom.text(r, "cac:Delivery", "cbc:ActualDeliveryDate"),
                Dom.text(r, "cbc:DocumentCurrencyCode"),
                Dom.text(r, "cac:AccountingSupplierParty", "cac:Party", "cac:PartyLegalEntity", "cbc:RegistrationName"),
                Dom.text(r, "cac:AccountingSupplierParty", "cac:Party", "cac:PartyTaxScheme", "cbc:CompanyID"),
                Dom.text(r, "cac:AccountingCustomerParty", "cac:Party", "cac:PartyTaxScheme", "cbc:CompanyID"),
                Dom.text(r, "cac:LegalMonetaryTotal", "cbc:TaxInclusiveAmount"),
                Dom.text(taxTotal, "cbc:TaxAmount"),
                Dom.text(r, "cac:LegalMonetaryTotal", "cbc:PayableAmount"),
                Dom.text(r, "cac:BillingReference", "cac:InvoiceDocumentReference", "cbc:ID"),
                icv, icvText, pih, qr);
    }

    public boolean simplified() {
        return flags != null && flags.simplified();
    }

    /** {@code invoice}, {@code simplified_credit_note}, ...: the name used in event types. */
    public String kindName() {
        String base = type == null ? "document" : type.eventName();
        return simplified() ? "simplified_" + base : base;
    }

    /** QR timestamp (tag 3): issue date and time as {@code yyyy-MM-ddTHH:mm:ssZ}. */
    public String qrTimestamp() {
        if (issueDate == null || issueTime == null) {
            return null;
        }
        String t = issueTime.endsWith("Z") ? issueTime.substring(0, issueTime.length() - 1) : issueTime;
        int dot = t.indexOf('.');
        if (dot >= 0) {
            t = t.substring(0, dot);
        }
        return issueDate + "T" + t + "Z";
    }
}
