package io.zatcagateway.core.validation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import io.zatcagateway.core.xml.Ns;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.streams.Steps;
import org.w3c.dom.Document;

/**
 * The CEN EN 16931 UBL schematron (compiled XSLT from the {@code phive-rules-en16931} artifact) run by Saxon-HE,
 * its SVRL turned into findings. Severities follow ZATCA's copy of these rules ({@link ZatcaSeverity}).
 * Compiled once on first use; each run costs tens of milliseconds, so it is the strict mode, not the default.
 */
final class En16931Schematron {
    static final String RULES = "/external/schematron/1.3.13/ubl/EN16931-UBL-validation.xslt";
    private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";
    private static final Processor PROCESSOR = new Processor(false);
    private static volatile XsltExecutable executable;
    /**
     * CEN rules whose CEN form contradicts ZATCA's profile, which ZATCA's own copy changes, and which the Java rules
     * check ZATCA's way instead: the type-code list (ZATCA puts 381 credit notes under the Invoice root; BR-KSA-05),
     * the totals (ZATCA requires a second TaxTotal in SAR, which CEN's BR-CO-14/15 count as a duplicate) and the
     * decimal rules.
     */
    static final Set<String> ADAPTED_BY_ZATCA = Set.of("BR-CL-01", "BR-02", "BR-03", "BR-16",
            "BR-CO-10", "BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16", "BR-CO-17",
            "BR-S-08", "BR-Z-08", "BR-E-08", "BR-O-08");
    /** Buyer rules that ZATCA applies to standard (B2B) documents only. */
    static final Set<String> STANDARD_ONLY = Set.of("BR-07", "BR-10", "BR-08");

    private En16931Schematron() {
    }

    static XsltExecutable executable() {
        XsltExecutable e = executable;
        if (e == null) {
            synchronized (En16931Schematron.class) {
                e = executable;
                if (e == null) {
                    URL url = En16931Schematron.class.getResource(RULES);
                    if (url == null) {
                        throw new IllegalStateException("EN 16931 rules missing from the classpath (" + RULES + ")");
                    }
                    try (InputStream in = url.openStream()) {
                        executable = e = PROCESSOR.newXsltCompiler().compile(new StreamSource(in, url.toExternalForm()));
                    } catch (IOException | SaxonApiException ex) {
                        throw new IllegalStateException("cannot compile the EN 16931 rules: " + ex.getMessage(), ex);
                    }
                }
            }
        }
        return e;
    }

    static List<Finding> validate(Document doc, boolean simplified) {
        Map<String, Severity> zatca = ZatcaSeverity.table();
        List<Finding> out = new ArrayList<>();
        try {
            XdmDestination svrl = new XdmDestination();
            executable().load30().transform(new DOMSource(doc), svrl);
            XdmNode report = svrl.getXdmNode();
            report.select(Steps.descendant(SVRL, "failed-assert")).forEach(n -> out.add(finding(n, zatca)));
            report.select(Steps.descendant(SVRL, "successful-report")).forEach(n -> out.add(finding(n, zatca)));
            out.removeIf(f -> ADAPTED_BY_ZATCA.contains(f.code()) || f.code().startsWith("BR-DEC-"));
            if (simplified) {
                out.replaceAll(f -> STANDARD_ONLY.contains(f.code()) ? new Finding(f.code(), Severity.INFO, f.message(), f.location()) : f);
            }
        } catch (SaxonApiException e) {
            out.add(Finding.error("EN16931", "the EN 16931 rules could not run: " + e.getMessage(), "document"));
        }
        return out;
    }

    /** {@code /*:Invoice[namespace-uri()='...'][1]/*:InvoiceLine[...][2]} becomes {@code /Invoice/cac:InvoiceLine[2]}. */
    static String shortLocation(String loc) {
        if (loc == null) {
            return null;
        }
        return loc.replace("[namespace-uri()='" + Ns.INVOICE + "']", "")
                .replaceAll("\\*:([A-Za-z]+)\\[namespace-uri\\(\\)='" + Pattern.quote(Ns.CAC) + "'\\]", "cac:$1")
                .replaceAll("\\*:([A-Za-z]+)\\[namespace-uri\\(\\)='" + Pattern.quote(Ns.CBC) + "'\\]", "cbc:$1")
                .replaceAll("\\*:([A-Za-z]+)\\[namespace-uri\\(\\)='[^']*'\\]", "$1")
                .replace("*:", "")
                .replace("[1]", "");
    }

    private static Finding finding(XdmNode n, Map<String, Severity> zatca) {
        String id = n.getAttributeValue(new QName("id"));
        String text = n.select(Steps.child(SVRL, "text")).findFirst().map(XdmNode::getStringValue).orElse("").trim().replaceAll("\\s+", " ");
        String location = shortLocation(n.getAttributeValue(new QName("location")));
        Severity s = id == null ? Severity.INFO : zatca.getOrDefault(id, Severity.INFO);
        return new Finding(id == null ? "EN16931" : id, s, text, location == null ? "document" : location);
    }
}
