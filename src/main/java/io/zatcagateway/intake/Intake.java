package io.zatcagateway.intake;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import io.zatcagateway.core.xml.XmlWriter;
import io.zatcagateway.egs.EgsConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;
import net.sf.saxon.om.AxisInfo;
import net.sf.saxon.om.NodeInfo;
import net.sf.saxon.pattern.NodeKindTest;

/**
 * The intake steps around the stylesheet, in plain Java: {@link #open} checks an input (size, name, XML safety,
 * format) and splits it into documents; {@link #accept} takes one document's UBL (the stylesheet's output, or the
 * input itself for UBL), runs pre-flight, and addresses it to its EGS. Every refusal is an {@link IntakeRejected}
 * with the rule codes a person needs.
 */
public final class Intake {
    /** The processing instruction through which a stylesheet (or a UBL document) passes EGS addressing keys. */
    public static final String ROUTE_PI = "zgw-route";

    private final Map<String, IntakeFormat> formats;
    private final EgsAddressing addressing;
    private final int maxBytes;

    /**
     * One document of an input: its bytes (what the error folder keeps) and, for a format with a stylesheet, the
     * parsed tree the stylesheet reads (null when the part has to be parsed from its bytes).
     */
    public record Part(IntakeFormat format, int index, int count, String label, byte[] bytes, NodeInfo tree) {
        public Part(IntakeFormat format, int index, int count, String label, byte[] bytes) {
            this(format, index, count, label, bytes, null);
        }
    }

    public record Accepted(EgsConfig egs, String documentKey, InvoiceFacts facts, byte[] ubl, Map<String, String> routing,
                           List<Finding> warnings) {
    }

    public Intake(Map<String, IntakeFormat> formats, EgsAddressing addressing, int maxBytes) {
        this.formats = Map.copyOf(formats);
        this.addressing = addressing;
        this.maxBytes = maxBytes;
    }

    public Map<String, IntakeFormat> formats() {
        return formats;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Refuses an input by its size alone, before it is read. */
    public void checkSize(long length) throws IntakeRejected {
        if (length > maxBytes) {
            throw new IntakeRejected("INTAKE-TOO-LARGE", "the input is " + length + " bytes, over the limit of " + maxBytes
                    + " bytes (gateway.intake.max-bytes); split the export", "input");
        }
    }

    /** Refuses names that try to leave their folder; the error folder never uses the name as a path either. */
    public static void checkName(String source) throws IntakeRejected {
        if (source == null) {
            return;
        }
        String s = source.replace('\\', '/');
        if (s.startsWith("/") || s.equals("..") || s.startsWith("../") || s.contains("/../") || s.endsWith("/..") || s.indexOf('\0') >= 0) {
            throw new IntakeRejected("INTAKE-FILE-NAME", "the input name '" + printable(source)
                    + "' contains '../', a leading '/' or a NUL: names must stay inside their folder", "file name");
        }
    }

    /**
     * Checks one input and splits it into its documents.
     *
     * @param formatName the format the input came as (its inbox folder or ZgwFormat header), or null to tell by its root
     */
    public List<Part> open(String source, String formatName, byte[] bytes) throws IntakeRejected {
        checkName(source);
        checkSize(bytes.length);
        IntakeFormat named = null;
        if (formatName != null && !formatName.isBlank()) {
            named = formats.get(formatName.trim());
            if (named == null) {
                throw new IntakeRejected("INTAKE-UNKNOWN-FORMAT", "format '" + printable(formatName) + "' is not configured (known: "
                        + String.join(", ", formats.keySet()) + ")", "format");
            }
        }
        if (named != null && named.stylesheet() != null) {
            // parsed once, into the tree the stylesheet reads; a DOM only to split a file of several documents
            NodeInfo tree;
            try {
                tree = Stylesheets.tree(bytes, maxBytes);
            } catch (XmlRejectedException e) {
                throw new IntakeRejected(e.code(), e.getMessage(), "input");
            }
            NodeInfo root = tree.iterateAxis(AxisInfo.CHILD, NodeKindTest.ELEMENT).next();
            IntakeFormat format = checkRoot(named, root.getNamespaceUri().toString(), root.getLocalPart());
            int count = 0;
            if (format.split() != null) {
                for (NodeInfo e : root.children(NodeKindTest.ELEMENT)) {
                    if (format.split().equals(e.getLocalPart())) {
                        count++;
                    }
                }
                if (count == 0) {
                    throw new IntakeRejected("INTAKE-EMPTY", "the " + format.name() + " input holds no " + format.split() + " element", "/" + root.getLocalPart());
                }
            }
            if (count <= 1) {
                return List.of(new Part(format, 1, 1, format.split() == null ? null : format.split() + " 1 of 1", bytes, tree));
            }
        }
        Document doc;
        try {
            doc = SecureXml.parse(bytes, maxBytes);
        } catch (XmlRejectedException e) {
            throw new IntakeRejected(e.code(), e.getMessage(), "input");
        }
        Element root = doc.getDocumentElement();
        String ns = root.getNamespaceURI();
        String local = root.getLocalName();
        IntakeFormat format;
        if (named != null) {
            format = checkRoot(named, ns, local);
        } else {
            format = formats.values().stream().filter(f -> f.matchesRoot(ns, local)).findFirst().orElseThrow(() ->
                    new IntakeRejected("INTAKE-UNKNOWN-ROOT", "root element " + qname(ns, local) + " is not one the gateway knows ("
                            + formats.values().stream().map(f -> f.name() + ": " + f.root()).collect(Collectors.joining(", ")) + ")", "/" + local));
        }
        if (format.split() == null) {
            return List.of(new Part(format, 1, 1, null, bytes));
        }
        List<Element> docs = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && format.split().equals(e.getLocalName())) {
                docs.add(e);
            }
        }
        if (docs.isEmpty()) {
            throw new IntakeRejected("INTAKE-EMPTY", "the " + format.name() + " input holds no " + format.split() + " element", "/" + local);
        }
        if (docs.size() == 1) {
            return List.of(new Part(format, 1, 1, format.split() + " 1 of 1", bytes)); // already one document: no copy
        }
        List<Part> parts = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            Document one = SecureXml.newDocument();
            Element r = (Element) one.importNode(root, false);
            one.appendChild(r);
            r.appendChild(one.importNode(docs.get(i), true));
            parts.add(new Part(format, i + 1, docs.size(), format.split() + " " + (i + 1) + " of " + docs.size(), XmlWriter.toUtf8(one)));
        }
        return parts;
    }

    private static IntakeFormat checkRoot(IntakeFormat format, String ns, String local) throws IntakeRejected {
        if (!format.matchesRoot(ns == null || ns.isEmpty() ? null : ns, local)) {
            throw new IntakeRejected("INTAKE-UNKNOWN-ROOT", "root element " + qname(ns, local) + " is not the root of format '"
                    + format.name() + "' (" + format.root() + ")", "/" + local);
        }
        return format;
    }

    /** Pre-flight and EGS addressing of one document's UBL bytes; returns the clean UBL bytes (addressing hints removed). */
    public Accepted accept(byte[] ublBytes) throws IntakeRejected {
        Document doc;
        try {
            doc = SecureXml.parse(ublBytes, maxBytes);
        } catch (XmlRejectedException e) {
            throw new IntakeRejected(e.code(), e.getMessage(), "UBL document");
        }
        return accept(doc, ublBytes);
    }

    /**
     * Pre-flight and EGS addressing of one document's UBL as a DOM (a stylesheet's output); the UBL bytes returned are
     * the document serialised without its addressing hints.
     */
    public Accepted accept(Document ubl) throws IntakeRejected {
        return accept(ubl, null);
    }

    private Accepted accept(Document doc, byte[] ublBytes) throws IntakeRejected {
        Map<String, String> routing = new LinkedHashMap<>();
        List<Node> pis = new ArrayList<>();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof ProcessingInstruction pi && ROUTE_PI.equals(pi.getTarget())) {
                String[] kv = pi.getData().trim().split("=", 2);
                if (kv.length == 2 && !kv[1].isBlank()) {
                    routing.put(kv[0].trim(), kv[1].trim());
                }
                pis.add(n);
            }
        }
        pis.forEach(doc::removeChild);
        Element root = doc.getDocumentElement();
        if (root == null || !"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2".equals(root.getNamespaceURI()) || !"Invoice".equals(root.getLocalName())) {
            String what = root == null ? "empty" : qname(root.getNamespaceURI(), root.getLocalName());
            throw new IntakeRejected("INTAKE-NOT-UBL", "the document is " + what
                    + ", not a UBL 2.1 Invoice (ZATCA carries invoices, credit and debit notes as Invoice)", "/" + (root == null ? "" : root.getLocalName()));
        }
        byte[] clean = ublBytes == null ? XmlWriter.toUtf8(doc) : pis.isEmpty() ? ublBytes : stripRoutePis(ublBytes);
        InvoiceFacts facts = InvoiceFacts.read(doc);
        if (facts.icvText() != null || facts.pih() != null) {
            throw new IntakeRejected("INTAKE-ALREADY-STAMPED", "the document already carries an ICV or PIH; the gateway stamps them "
                    + "itself from the EGS's chain, so send the document without them", "cac:AdditionalDocumentReference");
        }
        ValidationReport report = Preflight.check(doc, ublBytes, PreflightOptions.unsigned());
        if (report.hasErrors()) {
            throw new IntakeRejected(report.errors());
        }
        EgsConfig egs = addressing.resolve(facts.sellerVat(), routing, facts.simplified());
        return new Accepted(egs, facts.sellerVat() + ":" + facts.id(), facts, clean, routing, report.warnings());
    }

    /** The same bytes without the leading addressing processing instructions (they would change the invoice hash). */
    public static byte[] stripRoutePis(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int i = 0;
        if (s.startsWith("<?xml ")) {
            i = s.indexOf("?>") + 2;
        }
        StringBuilder prolog = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        while (true) {
            int j = i;
            while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            if (s.startsWith("<?" + ROUTE_PI, j)) {
                i = s.indexOf("?>", j) + 2;
            } else {
                break;
            }
        }
        String rest = s.substring(i);
        return (prolog + (rest.startsWith("\n") ? "" : "\n") + rest).getBytes(StandardCharsets.UTF_8);
    }

    static String qname(String ns, String local) {
        return ns == null || ns.isEmpty() ? local : "{" + ns + "}" + local;
    }

    /** A name as it may appear in a message: control characters shown as '?', at most 200 characters. */
    public static String printable(String s) {
        String t = s.chars().mapToObj(c -> c < 0x20 || c == 0x7f ? "?" : String.valueOf((char) c)).collect(Collectors.joining());
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
