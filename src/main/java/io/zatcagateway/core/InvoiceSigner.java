package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import io.zatcagateway.core.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Turns an unsigned UBL document into the signed document ZATCA accepts: stamps ICV and PIH, adds the QR reference
 * and {@code cac:Signature}, hashes, signs with ECDSA secp256k1, builds the XAdES-BES block and the QR code.
 * Thread-safe: one signer per EGS identity can serve any number of threads.
 */
public final class InvoiceSigner {
    private static final byte[] PLACEHOLDER = "<ext:UBLExtensions/>".getBytes(StandardCharsets.US_ASCII);

    private final SigningIdentity identity;

    public InvoiceSigner(SigningIdentity identity) {
        this.identity = identity;
    }

    public SigningIdentity identity() {
        return identity;
    }

    public SignedInvoice sign(byte[] unsignedXml, long icv, String pih, Instant signingTime) throws XmlRejectedException {
        return sign(SecureXml.parse(unsignedXml), icv, pih, signingTime);
    }

    /** Signs {@code doc} in place (the DOM is changed) and returns the signed bytes. */
    public SignedInvoice sign(Document doc, long icv, String pih, Instant signingTime) {
        Instant at = signingTime.truncatedTo(ChronoUnit.SECONDS);
        if (!identity.validAt(Date.from(at))) {
            throw new IllegalStateException("certificate serial " + identity.serialNumber() + " is not valid at " + at
                    + " (valid " + identity.certificate().getNotBefore().toInstant() + " to "
                    + identity.certificate().getNotAfter().toInstant() + "); renew the CSID before signing");
        }
        Element root = doc.getDocumentElement();
        if (!Ns.INVOICE.equals(root.getNamespaceURI()) || !"Invoice".equals(root.getLocalName())) {
            throw new IllegalArgumentException("not a UBL 2.1 Invoice document: root element is {" + root.getNamespaceURI()
                    + "}" + root.getLocalName());
        }
        Dom.requirePrefix(root, "ext", Ns.EXT);
        Dom.requirePrefix(root, "cbc", Ns.CBC);
        String cac = Dom.prefixFor(root, Ns.CAC, "cac");

        ChainStamp.apply(doc, icv, pih);
        Element qrValue = ensureQrReference(doc, root, cac);
        ensureSignatureElement(doc, root, cac);
        placeExtensionsPlaceholder(doc, root);

        InvoiceFacts facts = InvoiceFacts.read(doc);
        byte[] digest = InvoiceHash.digest(doc);
        String hash = Base64.getEncoder().encodeToString(digest);
        String signatureValue = Base64.getEncoder().encodeToString(identity.sign(digest));
        String time = at.toString();
        String qr = QrCode.encode(facts, hash, signatureValue, identity);
        qrValue.setTextContent(qr);

        byte[] text = XmlWriter.toUtf8(doc);
        int at0 = indexOf(text, PLACEHOLDER, 0);
        if (at0 < 0 || indexOf(text, PLACEHOLDER, at0 + 1) >= 0) {
            throw new IllegalStateException("signature placeholder not found exactly once in the serialised document");
        }
        byte[] block = XadesBlock.extensions(hash, XadesBlock.signedPropertiesDigest(time, identity), signatureValue, time, identity)
                .getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[text.length - PLACEHOLDER.length + block.length];
        System.arraycopy(text, 0, signed, 0, at0);
        System.arraycopy(block, 0, signed, at0, block.length);
        System.arraycopy(text, at0 + PLACEHOLDER.length, signed, at0 + block.length, text.length - at0 - PLACEHOLDER.length);
        return new SignedInvoice(signed, hash, facts.uuid(), icv, pih, qr, signatureValue, time, facts);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The QR reference's binary object (created after the last additional document reference when missing). */
    private static Element ensureQrReference(Document doc, Element root, String cac) {
        Element qrRef = ChainStamp.reference(root, "QR");
        String cbc = "cbc";
        if (qrRef == null) {
            qrRef = ChainStamp.newReference(doc, cac, cbc, "QR");
            Node after = null;
            for (Element adr : Dom.children(root, Ns.CAC, "AdditionalDocumentReference")) {
                after = adr;
            }
            root.insertBefore(qrRef, after.getNextSibling());
        }
        Element att = Dom.child(qrRef, Ns.CAC, "Attachment");
        if (att == null) {
            att = doc.createElementNS(Ns.CAC, cac + ":Attachment");
            qrRef.appendChild(att);
        }
        Element bin = Dom.child(att, Ns.CBC, "EmbeddedDocumentBinaryObject");
        if (bin == null) {
            bin = doc.createElementNS(Ns.CBC, cbc + ":EmbeddedDocumentBinaryObject");
            att.appendChild(bin);
        }
        bin.setAttribute("mimeCode", "text/plain");
        return bin;
    }

    /** {@code cac:Signature} with exactly the IDs BR-KSA-28/29/30 demand (it is outside the hash). */
    private static void ensureSignatureElement(Document doc, Element root, String cac) {
        Element sig = Dom.child(root, Ns.CAC, "Signature");
        if (sig == null) {
            sig = doc.createElementNS(Ns.CAC, cac + ":Signature");
            Element supplier = Dom.child(root, Ns.CAC, "AccountingSupplierParty");
            if (supplier == null) {
                throw new IllegalArgumentException("document has no cac:AccountingSupplierParty (BT-27 seller) to sign for");
            }
            root.insertBefore(sig, supplier);
        }
        while (sig.getFirstChild() != null) {
            sig.removeChild(sig.getFirstChild());
        }
        Element id = doc.createElementNS(Ns.CBC, "cbc:ID");
        id.setTextContent(XadesBlock.REFERENCED_SIGNATURE_ID);
        Element method = doc.createElementNS(Ns.CBC, "cbc:SignatureMethod");
        method.setTextContent(XadesBlock.EXTENSION_URI);
        sig.appendChild(id);
        sig.appendChild(method);
    }

    /** Replaces any existing {@code ext:UBLExtensions} by an empty one, or inserts it as the root's first child. */
    private static void placeExtensionsPlaceholder(Document doc, Element root) {
        Element placeholder = doc.createElementNS(Ns.EXT, "ext:UBLExtensions");
        Element existing = Dom.child(root, Ns.EXT, "UBLExtensions");
        if (existing != null) {
            root.replaceChild(placeholder, existing);
        } else {
            root.insertBefore(placeholder, root.getFirstChild());
        }
    }
}
