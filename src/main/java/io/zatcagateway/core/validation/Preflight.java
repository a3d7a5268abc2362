package io.zatcagateway.core.validation;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.xml.Ns;
import java.util.ArrayList;
import java.util.List;
import java.io.ByteArrayInputStream;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Tells, before anything is sent, whether ZATCA will reject a document, with ZATCA's rule codes.
 * FAST (the default on the hot path) runs the gateway's Java rules; STRICT adds the UBL 2.1 XSD and the full
 * EN 16931 schematron. Errors block submission; warnings travel with the document.
 */
public final class Preflight {
    private Preflight() {
    }

    public static ValidationReport check(Document doc, PreflightOptions options) {
        return check(doc, null, options);
    }

    /**
     * As {@link #check(Document, PreflightOptions)}; {@code source}, the bytes {@code doc} was parsed from (already
     * accepted by {@code SecureXml}), lets schema errors carry a line and column.
     */
    public static ValidationReport check(Document doc, byte[] source, PreflightOptions options) {
        Element root = doc.getDocumentElement();
        List<Finding> findings = new ArrayList<>();
        if (!Ns.INVOICE.equals(root.getNamespaceURI()) || !"Invoice".equals(root.getLocalName())) {
            findings.add(Finding.error("UBL-ROOT", "root element must be {" + Ns.INVOICE + "}Invoice (also for credit and debit notes), found {"
                    + root.getNamespaceURI() + "}" + root.getLocalName(), "/"));
            return new ValidationReport(findings);
        }
        InvoiceFacts facts = InvoiceFacts.read(doc);
        findings.addAll(FastRules.check(root, facts, options));
        if (options.mode() == PreflightOptions.Mode.STRICT) {
            findings.addAll(XsdValidator.validate(source != null ? new StreamSource(new ByteArrayInputStream(source)) : new DOMSource(doc)));
            findings.addAll(En16931Schematron.validate(doc, facts.simplified()));
        }
        return new ValidationReport(findings);
    }

    /** Compiles the XSD and the schematron now, so that the first strict check does not pay for it. */
    public static void warmUpStrict() {
        XsdValidator.schema();
        En16931Schematron.executable();
    }
}
