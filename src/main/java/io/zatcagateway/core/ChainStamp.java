package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Writes the chain values into a document: the invoice counter (ICV, KSA-16) and the previous invoice hash
 * (PIH, KSA-13) as {@code cac:AdditionalDocumentReference}s, replacing values that are already there.
 * New references go where UBL's element order wants them: before other additional document references,
 * the project reference, the signature and the supplier party.
 */
public final class ChainStamp {
    private ChainStamp() {
    }

    public static void apply(Document doc, long icv, String pih) {
        if (icv < 1) {
            throw new IllegalArgumentException("ICV must be 1 or more, got " + icv);
        }
        if (pih == null || pih.isBlank()) {
            throw new IllegalArgumentException("PIH must not be empty");
        }
        Element root = doc.getDocumentElement();
        Element icvRef = reference(root, "ICV");
        Element pihRef = reference(root, "PIH");
        String cac = Dom.prefixFor(root, Ns.CAC, "cac");
        String cbc = Dom.prefixFor(root, Ns.CBC, "cbc");
        if (icvRef == null) {
            icvRef = newReference(doc, cac, cbc, "ICV");
            root.insertBefore(icvRef, pihRef != null ? pihRef : referenceAnchor(root));
        }
        setChild(doc, icvRef, Ns.CBC, cbc, "UUID", Long.toString(icv));
        if (pihRef == null) {
            pihRef = newReference(doc, cac, cbc, "PIH");
            root.insertBefore(pihRef, icvRef.getNextSibling());
        }
        Element attachment = Dom.child(pihRef, Ns.CAC, "Attachment");
        if (attachment == null) {
            attachment = doc.createElementNS(Ns.CAC, cac + ":Attachment");
            pihRef.appendChild(attachment);
        }
        Element bin = setChild(doc, attachment, Ns.CBC, cbc, "EmbeddedDocumentBinaryObject", pih);
        bin.setAttribute("mimeCode", "text/plain");
    }

    static Element reference(Element root, String id) {
        for (Element adr : Dom.children(root, Ns.CAC, "AdditionalDocumentReference")) {
            if (id.equals(Dom.text(adr, "cbc:ID"))) {
                return adr;
            }
        }
        return null;
    }

    static Element newReference(Document doc, String cac, String cbc, String id) {
        Element adr = doc.createElementNS(Ns.CAC, cac + ":AdditionalDocumentReference");
        Element idEl = doc.createElementNS(Ns.CBC, cbc + ":ID");
        idEl.setTextContent(id);
        adr.appendChild(idEl);
        return adr;
    }

    /** First root child that must follow the ICV/PIH references in UBL's sequence. */
    static Node referenceAnchor(Element root) {
        for (Element e : Dom.elements(root)) {
            String n = e.getLocalName();
            if (Ns.CAC.equals(e.getNamespaceURI()) && (n.equals("AdditionalDocumentReference") || n.equals("ProjectReference")
                    || n.equals("Signature") || n.equals("AccountingSupplierParty"))) {
                return e;
            }
        }
        return null;
    }

    private static Element setChild(Document doc, Element parent, String ns, String prefix, String name, String value) {
        Element el = Dom.child(parent, ns, name);
        if (el == null) {
            el = doc.createElementNS(ns, prefix + ":" + name);
            parent.appendChild(el);
        }
        el.setTextContent(value);
        return el;
    }
}
