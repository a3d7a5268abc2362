package io.zatcagateway.intake;

import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import io.zatcagateway.core.xml.XmlWriter;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.transform.ErrorListener;
import javax.xml.transform.Source;
import javax.xml.transform.SourceLocator;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.TransformerFactoryImpl;
import net.sf.saxon.om.Item;
import net.sf.saxon.om.NodeInfo;
import net.sf.saxon.om.Sequence;
import net.sf.saxon.trans.XPathException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The ERP stylesheets, run with Saxon-HE and compiled once: by the intake route (through {@code IntakeBeans.toUbl}),
 * the {@code validate} command, tests and the benchmark. All of them share one Saxon configuration, so that an input
 * parsed once by {@link #tree} (the parse that checks it) is transformed without being parsed again. Refusals, the
 * stylesheets' own ({@code xsl:message} with SAP-*, ORACLE-*, SOURCE-* codes) and any other error, become findings
 * through {@link #findings}.
 */
public final class Stylesheets {
    private static final TransformerFactoryImpl FACTORY = new TransformerFactoryImpl();
    private static final Map<String, Templates> COMPILED = new ConcurrentHashMap<>();
    private static final ErrorListener QUIET = new ErrorListener() {
        @Override
        public void warning(TransformerException e) {
        }

        @Override
        public void error(TransformerException e) {
        }

        @Override
        public void fatalError(TransformerException e) throws TransformerException {
            throw e;
        }
    };

    static {
        FACTORY.setErrorListener(QUIET);
    }

    private Stylesheets() {
    }

    /**
     * Parses an input into a Saxon tree with {@link SecureXml}'s protections (size, UTF-8, no DOCTYPE): the same
     * refusals as a DOM parse, and a tree every stylesheet here can read without another parse.
     */
    public static NodeInfo tree(byte[] xml, int maxBytes) throws XmlRejectedException {
        SecureXml.precheck(xml, maxBytes);
        try {
            return FACTORY.getConfiguration().buildDocumentTree(
                    new SAXSource(SecureXml.reader(), new InputSource(new ByteArrayInputStream(xml)))).getRootNode();
        } catch (XPathException e) {
            throw SecureXml.rejected(e);
        }
    }

    /** One document through a stylesheet, with a fresh document UUID; a refusal is an {@link IntakeRejected}. */
    public static byte[] transform(String stylesheet, byte[] input) throws IntakeRejected {
        NodeInfo tree;
        try {
            tree = tree(input, SecureXml.DEFAULT_MAX_BYTES);
        } catch (XmlRejectedException e) {
            throw new IntakeRejected(e.code(), e.getMessage(), "input");
        }
        return XmlWriter.toUtf8(transform(stylesheet, tree, UUID.randomUUID().toString()));
    }

    /**
     * One document (a {@link #tree}, or any other source) through a stylesheet into a DOM, ready for pre-flight; the
     * addressing processing instructions the stylesheet writes before the root are children of the document.
     */
    public static Document transform(String stylesheet, Source input, String uuid) throws IntakeRejected {
        try {
            Transformer tr = compiled(stylesheet).newTransformer();
            tr.setErrorListener(QUIET);
            if (tr instanceof net.sf.saxon.jaxp.TransformerImpl saxon) {
                saxon.getUnderlyingXsltTransformer().setMessageHandler(m -> { }); // xsl:message text arrives in the exception
            }
            tr.setParameter("ZgwUuid", uuid);
            Document doc = SecureXml.newDocument();
            // Saxon writes well-formed names only: the DOM need not check each one again as it is built
            doc.setStrictErrorChecking(false);
            DOMResult out = new DOMResult(doc);
            tr.transform(input, out);
            return (Document) out.getNode();
        } catch (TransformerException e) {
            throw new IntakeRejected(findings(e));
        }
    }

    private static Templates compiled(String stylesheet) {
        return COMPILED.computeIfAbsent(stylesheet, s -> {
            try {
                return FACTORY.newTemplates(new StreamSource(new File(s)));
            } catch (TransformerException e) {
                throw new IllegalStateException("stylesheet " + s + " does not compile: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The reasons behind an intake failure: an {@link IntakeRejected}'s own; a stylesheet's {@code xsl:message} or
     * {@code error()} with its code (SAP-*, ORACLE-*, SOURCE-*); any other stylesheet error as INTAKE-TRANSFORM.
     */
    public static List<Finding> findings(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IntakeRejected r) {
                return r.findings();
            }
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof XPathException x) {
                String code = x.getErrorCodeQName() == null ? "XSLT" : x.getErrorCodeQName().getLocalPart();
                String text = x.getMessage();
                Sequence obj = x.getErrorObject();
                if (obj != null) {
                    try {
                        Item item = obj.head();
                        if (item != null) {
                            text = item.getStringValue().toString().trim();
                        }
                    } catch (Exception ignored) {
                        // keep the exception's own message
                    }
                }
                if (text.startsWith(code + ": ")) {
                    text = text.substring(code.length() + 2);
                }
                boolean ours = code.startsWith("SAP-") || code.startsWith("ORACLE-") || code.startsWith("SOURCE-");
                return List.of(ours ? Finding.error(code, text, "source document")
                        : Finding.error("INTAKE-TRANSFORM", code + " " + text + location(x.getLocator()), "stylesheet"));
            }
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TransformerException t) {
                return List.of(Finding.error("INTAKE-TRANSFORM", t.getMessage() + location(t.getLocator()), "stylesheet"));
            }
        }
        return List.of(Finding.error("INTAKE-ERROR", e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage(), "gateway"));
    }

    private static String location(SourceLocator l) {
        return l == null || l.getLineNumber() < 0 ? "" : " (" + (l.getSystemId() == null ? "" : l.getSystemId().replaceAll(".*/", "") + " ")
                + "line " + l.getLineNumber() + ")";
    }
}
