package io.zatcagateway.intake;

import io.zatcagateway.core.validation.Finding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.transform.ErrorListener;
import javax.xml.transform.SourceLocator;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.TransformerFactoryImpl;
import net.sf.saxon.om.Item;
import net.sf.saxon.om.Sequence;
import net.sf.saxon.trans.XPathException;

/**
 * ERP stylesheets outside the routes (the {@code validate} command, tests, the benchmark): compiled once, run with
 * Saxon-HE, and their refusals turned into findings. The routes run the same stylesheets through camel-xslt; both
 * report errors through {@link #findings}.
 */
public final class Stylesheets {
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

    private Stylesheets() {
    }

    /** One document through a stylesheet, with a fresh document UUID; a refusal is an {@link IntakeRejected}. */
    public static byte[] transform(String stylesheet, byte[] input) throws IntakeRejected {
        try {
            Templates t = COMPILED.computeIfAbsent(stylesheet, s -> {
                try {
                    TransformerFactoryImpl f = new TransformerFactoryImpl();
                    f.setErrorListener(QUIET);
                    return f.newTemplates(new StreamSource(new File(s)));
                } catch (TransformerException e) {
                    throw new IllegalStateException("stylesheet " + s + " does not compile: " + e.getMessage(), e);
                }
            });
            Transformer tr = t.newTransformer();
            tr.setErrorListener(QUIET);
            if (tr instanceof net.sf.saxon.jaxp.TransformerImpl saxon) {
                saxon.getUnderlyingXsltTransformer().setMessageHandler(m -> { }); // xsl:message text arrives in the exception
            }
            tr.setParameter("ZgwUuid", UUID.randomUUID().toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 2);
            tr.transform(new StreamSource(new ByteArrayInputStream(input)), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IntakeRejected(findings(e));
        }
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
