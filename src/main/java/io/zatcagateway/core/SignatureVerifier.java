package io.zatcagateway.core;

import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks a signed document the way ZATCA does: the invoice hash, the ECDSA signature, the certificate digest,
 * issuer and serial, the signed-properties digest, and every QR tag against the document. Used by the
 * {@code validate}/{@code verify} commands, the chain auditor, the simulator and the tests.
 */
public final class SignatureVerifier {
    private SignatureVerifier() {
    }

    /** Parsed certificates by their base64 text: an EGS signs thousands of documents with one certificate. */
    private static final Map<String, X509Certificate> CERTIFICATES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_CERTIFICATES = 10_000;

    public static ValidationReport verify(Document doc) {
        return verify(doc, null);
    }

    /** As {@link #verify(Document)}, with the document's invoice hash when the caller has already computed it. */
    public static ValidationReport verify(Document doc, String knownHash) {
        List<Finding> out = new ArrayList<>();
        InvoiceFacts facts = InvoiceFacts.read(doc);
        Element sig = signatureElement(doc);
        if (sig == null) {
            out.add(Finding.error("SIG-MISSING", "the document carries no XAdES signature (ext:UBLExtensions/.../ds:Signature)",
                    "/Invoice/ext:UBLExtensions"));
            return new ValidationReport(out);
        }
        String hash = knownHash != null ? knownHash : InvoiceHash.of(doc);
        String statedHash = null;
        String statedSpDigest = null;
        Element signedInfo = Dom.child(sig, Ns.DS, "SignedInfo");
        for (Element ref : Dom.children(signedInfo, Ns.DS, "Reference")) {
            String dv = text(Dom.child(ref, Ns.DS, "DigestValue"));
            if ("invoiceSignedData".equals(ref.getAttribute("Id"))) {
                statedHash = dv;
            } else if ("#xadesSignedProperties".equals(ref.getAttribute("URI"))) {
                statedSpDigest = dv;
            }
        }
        Element method = Dom.child(signedInfo, Ns.DS, "SignatureMethod");
        if (method == null || !XadesBlock.ECDSA_SHA256.equals(method.getAttribute("Algorithm"))) {
            out.add(Finding.error("SIG-ALGORITHM", "ds:SignatureMethod must be " + XadesBlock.ECDSA_SHA256, "ds:SignedInfo/ds:SignatureMethod"));
        }
        if (statedHash == null) {
            out.add(Finding.error("SIG-STRUCTURE", "no ds:Reference Id=\"invoiceSignedData\"", "ds:SignedInfo"));
        } else if (!statedHash.equals(hash)) {
            out.add(Finding.error("SIG-INVOICE-HASH", "invoice hash in the signature is " + statedHash
                    + " but the document hashes to " + hash + " (the document changed after signing)", "ds:Reference[@Id='invoiceSignedData']/ds:DigestValue"));
        }
        String certText = text(first(sig, Ns.DS, "X509Certificate"));
        X509Certificate cert = null;
        if (certText == null) {
            out.add(Finding.error("SIG-CERTIFICATE", "no ds:X509Certificate", "ds:KeyInfo"));
        } else {
            try {
                cert = certificate(certText);
            } catch (GeneralSecurityException e) {
                out.add(Finding.error("SIG-CERTIFICATE", "ds:X509Certificate cannot be read: " + e.getMessage(), "ds:X509Certificate"));
            }
        }
        String signatureValue = text(Dom.child(sig, Ns.DS, "SignatureValue"));
        if (cert != null && signatureValue != null && statedHash != null) {
            try {
                Signature v = Signature.getInstance(Crypto.SIGNATURE_ALGORITHM, Crypto.BC);
                v.initVerify(cert.getPublicKey());
                v.update(Base64.getDecoder().decode(statedHash));
                if (!v.verify(Base64.getDecoder().decode(signatureValue))) {
                    out.add(Finding.error("SIG-VALUE", "ds:SignatureValue is not an ECDSA signature of the invoice hash by the certificate's key", "ds:SignatureValue"));
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                out.add(Finding.error("SIG-VALUE", "ds:SignatureValue cannot be verified: " + e.getMessage(), "ds:SignatureValue"));
            }
        }
        Element sp = first(sig, Ns.XADES, "SignedProperties");
        if (sp == null) {
            out.add(Finding.error("SIG-STRUCTURE", "no xades:SignedProperties", "ds:Object"));
        } else {
            String spDigest = InvoiceHash.hexDigestBase64(standalone(sp));
            if (!spDigest.equals(statedSpDigest)) {
                out.add(Finding.error("SIG-SIGNED-PROPERTIES", "signed-properties digest in SignedInfo is " + statedSpDigest
                        + " but the signed properties digest to " + spDigest + " (changed or re-indented after signing)",
                        "ds:Reference[@URI='#xadesSignedProperties']/ds:DigestValue"));
            }
            if (cert != null) {
                checkSignedProperties(sp, cert, certText, out);
            }
        }
        checkQr(facts, hash, signatureValue, cert, out);
        return new ValidationReport(out);
    }

    private static void checkSignedProperties(Element sp, X509Certificate cert, String certText, List<Finding> out) {
        String certDigest = text(first(first(sp, Ns.XADES, "CertDigest"), Ns.DS, "DigestValue"));
        String expected = InvoiceHash.hexDigestBase64(Crypto.withoutWhitespace(certText));
        if (!expected.equals(certDigest)) {
            out.add(Finding.error("SIG-CERT-DIGEST", "xades:CertDigest is " + certDigest + " but the certificate digests to " + expected,
                    "xades:CertDigest/ds:DigestValue"));
        }
        String serial = text(first(sp, Ns.DS, "X509SerialNumber"));
        if (!cert.getSerialNumber().toString().equals(serial)) {
            out.add(Finding.error("SIG-ISSUER-SERIAL", "ds:X509SerialNumber " + serial + " is not the certificate's serial "
                    + cert.getSerialNumber(), "xades:IssuerSerial/ds:X509SerialNumber"));
        }
        String issuer = text(first(sp, Ns.DS, "X509IssuerName"));
        String certIssuer = SigningIdentity.issuerName(cert);
        if (issuer == null || !issuer.replace(", ", ",").equalsIgnoreCase(certIssuer.replace(", ", ","))) {
            out.add(Finding.warning("SIG-ISSUER-SERIAL", "ds:X509IssuerName '" + issuer + "' differs from the certificate's issuer '"
                    + certIssuer + "'", "xades:IssuerSerial/ds:X509IssuerName"));
        }
        String time = text(first(sp, Ns.XADES, "SigningTime"));
        try {
            Instant t = Instant.parse(time.endsWith("Z") ? time : time + "Z");
            if (t.isBefore(cert.getNotBefore().toInstant()) || t.isAfter(cert.getNotAfter().toInstant())) {
                out.add(Finding.error("SIG-CERTIFICATE-VALIDITY", "signed at " + time + " outside the certificate's validity "
                        + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant(), "xades:SigningTime"));
            }
        } catch (DateTimeParseException | NullPointerException e) {
            out.add(Finding.error("SIG-STRUCTURE", "xades:SigningTime '" + time + "' is not yyyy-MM-ddTHH:mm:ssZ", "xades:SigningTime"));
        }
    }

    private static void checkQr(InvoiceFacts facts, String hash, String signatureValue, X509Certificate cert, List<Finding> out) {
        String loc = "cac:AdditionalDocumentReference[cbc:ID='QR']";
        if (facts.qr() == null || facts.qr().isEmpty()) {
            out.add(Finding.error("QR-MISSING", "no QR code (KSA-14)", loc));
            return;
        }
        Map<Integer, byte[]> tags;
        try {
            tags = QrCode.decode(facts.qr());
        } catch (IllegalArgumentException e) {
            out.add(Finding.error("QR-FORMAT", "QR code is not base64 TLV: " + e.getMessage(), loc));
            return;
        }
        int need = facts.simplified() ? 9 : 8;
        for (int t = 1; t <= need; t++) {
            if (!tags.containsKey(t)) {
                out.add(Finding.error("QR-TAG-" + t, "QR tag " + t + " is missing", loc));
            }
        }
        qrText(tags, 1, facts.sellerName(), false, out);
        qrText(tags, 2, facts.sellerVat(), false, out);
        qrText(tags, 3, facts.qrTimestamp(), false, out);
        qrText(tags, 4, facts.taxInclusiveAmount(), true, out);
        qrText(tags, 5, facts.taxAmount(), true, out);
        qrText(tags, 6, hash, false, out);
        qrText(tags, 7, signatureValue, false, out);
        if (cert != null) {
            if (tags.containsKey(8) && !Arrays.equals(tags.get(8), cert.getPublicKey().getEncoded())) {
                out.add(Finding.error("QR-TAG-8", "QR tag 8 is not the certificate's public key", loc));
            }
            if (tags.containsKey(9) && !Arrays.equals(tags.get(9), cert.getSignature())) {
                out.add(Finding.error("QR-TAG-9", "QR tag 9 is not the certificate's signature", loc));
            }
        }
    }

    private static void qrText(Map<Integer, byte[]> tags, int tag, String expected, boolean numeric, List<Finding> out) {
        if (!tags.containsKey(tag) || expected == null) {
            return;
        }
        String have = new String(tags.get(tag), StandardCharsets.UTF_8);
        boolean ok;
        if (numeric) {
            try {
                ok = new BigDecimal(have.trim()).compareTo(new BigDecimal(expected.trim())) == 0;
            } catch (NumberFormatException e) {
                ok = false;
            }
        } else {
            ok = have.equals(expected);
        }
        if (!ok) {
            out.add(Finding.error("QR-TAG-" + tag, "QR tag " + tag + " is '" + have + "' but the document gives '" + expected + "'",
                    "cac:AdditionalDocumentReference[cbc:ID='QR']"));
        }
    }

    private static X509Certificate certificate(String text) throws GeneralSecurityException {
        X509Certificate c = CERTIFICATES.get(text);
        if (c == null) {
            c = Crypto.certificate(text);
            if (CERTIFICATES.size() >= MAX_CACHED_CERTIFICATES) {
                CERTIFICATES.clear();
            }
            CERTIFICATES.put(text, c);
        }
        return c;
    }

    static Element signatureElement(Document doc) {
        Element ext = Dom.child(doc.getDocumentElement(), Ns.EXT, "UBLExtensions");
        return ext == null ? null : first(ext, Ns.DS, "Signature");
    }

    private static Element first(Element from, String ns, String name) {
        if (from == null) {
            return null;
        }
        NodeList l = from.getElementsByTagNameNS(ns, name);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    /**
     * The element serialised on its own as ZATCA digests signed properties: a namespace is declared on each element
     * whose prefix is not yet declared within the fragment, attributes in document order, empty elements self-closed.
     */
    static String standalone(Element e) {
        StringBuilder b = new StringBuilder(2048);
        write(e, b, new HashMap<>());
        return b.toString();
    }

    private static void write(Node n, StringBuilder b, Map<String, String> inScope) {
        if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
            b.append(Dom.escape(n.getNodeValue(), false));
            return;
        }
        if (n.getNodeType() != Node.ELEMENT_NODE) {
            return;
        }
        Element e = (Element) n;
        Map<String, String> scope = inScope;
        b.append('<').append(e.getTagName());
        String prefix = e.getPrefix() == null ? "" : e.getPrefix();
        String ns = e.getNamespaceURI();
        if (ns != null && !ns.equals(inScope.get(prefix))) {
            b.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"").append(Dom.escape(ns, true)).append('"');
            scope = new HashMap<>(inScope);
            scope.put(prefix, ns);
        }
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (!Ns.XMLNS.equals(a.getNamespaceURI())) {
                b.append(' ').append(a.getName()).append("=\"").append(Dom.escape(a.getValue(), true)).append('"');
            }
        }
        if (!e.hasChildNodes()) {
            b.append("/>");
            return;
        }
        b.append('>');
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            write(c, b, scope);
        }
        b.append("</").append(e.getTagName()).append('>');
    }
}
