package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

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

    /**
     * The QR payload of a signed or cleared document, read by streaming its bytes (with {@link SecureXml}'s
     * protections) up to the QR reference, without building a tree; null when the document has none.
     */
    public static String qr(byte[] xml) throws XmlRejectedException {
        SecureXml.precheck(xml, SecureXml.DEFAULT_MAX_BYTES);
        QrFinder finder = new QrFinder();
        XMLReader reader = SecureXml.reader();
        reader.setContentHandler(finder);
        try {
            reader.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (QrFinder.Found found) {
            return finder.qr;
        } catch (IOException | SAXException e) {
            throw SecureXml.rejected(e);
        }
        return null;
    }

    private static final Pattern ICV = Pattern.compile("[0-9]{1,18}");

    /** cac:AdditionalDocumentReference (a child of the root) with cbc:ID QR: its attachment's binary object. */
    private static final class QrFinder extends DefaultHandler {
        static final class Found extends SAXException {
            Found() {
                super("QR found", null);
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }

        private int depth;
        private boolean inReference;
        private StringBuilder text;
        private String id;
        private String binary;
        String qr;

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
            depth++;
            if (depth == 2 && Ns.CAC.equals(uri) && "AdditionalDocumentReference".equals(local)) {
                inReference = true;
                id = null;
                binary = null;
            } else if (inReference && Ns.CBC.equals(uri) && (depth == 3 && "ID".equals(local)
                    || depth == 4 && "EmbeddedDocumentBinaryObject".equals(local))) {
                text = new StringBuilder();
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (text != null) {
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String local, String qName) throws SAXException {
            if (text != null) {
                if ("ID".equals(local)) {
                    id = text.toString().trim();
                } else {
                    binary = text.toString().trim();
                }
                text = null;
            } else if (depth == 2 && inReference) {
                inReference = false;
                if ("QR".equals(id)) {
                    qr = binary;
                    throw new Found();
                }
            }
            depth--;
        }
    }

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
        if (icvText != null && ICV.matcher(icvText).matches()) {
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
