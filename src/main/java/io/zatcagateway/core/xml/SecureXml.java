package io.zatcagateway.core.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The only way the gateway turns bytes into a DOM. It refuses DOCTYPE declarations outright (so no external entity,
 * no entity expansion bomb, no DTD fetch can happen), refuses documents above a size limit before parsing, and
 * insists on UTF-8, the only encoding ZATCA accepts.
 */
public final class SecureXml {
    /** Default size limit for one document: far above any real invoice, far below what hurts the JVM. */
    public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

    /** The parser features of both parsers: secure processing (entity limits), no DOCTYPE, no external entity or DTD. */
    private static final Map<String, Boolean> PROTECTIONS = Map.of(
            XMLConstants.FEATURE_SECURE_PROCESSING, true,
            "http://apache.org/xml/features/disallow-doctype-decl", true,
            "http://xml.org/sax/features/external-general-entities", false,
            "http://xml.org/sax/features/external-parameter-entities", false,
            "http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    private static final DocumentBuilderFactory FACTORY = newFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SecureXml::newBuilder);
    private static final SAXParserFactory SAX = newSaxFactory();
    private static final String LEXICAL_HANDLER = "http://xml.org/sax/properties/lexical-handler";
    private static final ThreadLocal<XMLReader> READER = ThreadLocal.withInitial(SecureXml::newReader);

    private SecureXml() {
    }

    public static Document parse(byte[] xml) throws XmlRejectedException {
        return parse(xml, DEFAULT_MAX_BYTES);
    }

    public static Document parse(byte[] xml, int maxBytes) throws XmlRejectedException {
        precheck(xml, maxBytes);
        DocumentBuilder builder = BUILDER.get();
        try {
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw rejected(e);
        }
    }

    /** The checks made before any parse: the size limit and the encoding (UTF-8 only). */
    public static void precheck(byte[] xml, int maxBytes) throws XmlRejectedException {
        if (xml.length > maxBytes) {
            throw new XmlRejectedException("XML-TOO-LARGE",
                    "document is " + xml.length + " bytes, over the limit of " + maxBytes + " bytes");
        }
        checkEncoding(xml);
    }

    /**
     * A SAX reader with the same protections as {@link #parse} (no DOCTYPE, no external entities), for parsers that
     * build their own tree from SAX events (Saxon); one per thread, since readers are not thread-safe. Run
     * {@link #precheck} first, and turn its exceptions into refusals with {@link #rejected}. The reader comes without
     * the handlers its previous user set on this thread (Saxon leaves its lexical handler attached, which would be fed
     * the comments of the next document parsed with it).
     */
    public static XMLReader reader() {
        XMLReader r = READER.get();
        r.setContentHandler(null);
        r.setDTDHandler(null);
        r.setErrorHandler(SILENT);
        try {
            r.setProperty(LEXICAL_HANDLER, null);
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    /** The refusal (XML-DOCTYPE, XML-ENCODING, XML-MALFORMED) for an exception of the parser, or of a cause of one. */
    public static XmlRejectedException rejected(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SAXParseException p) {
                String msg = p.getMessage() == null ? "unreadable XML" : p.getMessage();
                if (msg.contains("DOCTYPE")) {
                    return new XmlRejectedException("XML-DOCTYPE",
                            "DOCTYPE declarations are not allowed (they enable external entities and entity bombs)", p);
                }
                if (msg.contains("UTF-8") || msg.contains("byte")) {
                    return new XmlRejectedException("XML-ENCODING",
                            "not valid UTF-8 at line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": " + msg, p);
                }
                return new XmlRejectedException("XML-MALFORMED",
                        "malformed XML at line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": " + msg, p);
            }
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException io) {
                return new XmlRejectedException("XML-MALFORMED", "cannot read XML: " + io.getMessage(), io);
            }
        }
        return new XmlRejectedException("XML-MALFORMED", "malformed XML: " + (e == null ? "" : e.getMessage()), e);
    }

    /** ZATCA documents are UTF-8; reject UTF-16 byte order marks and declarations of any other encoding. */
    private static void checkEncoding(byte[] xml) throws XmlRejectedException {
        if (xml.length >= 2 && ((xml[0] == (byte) 0xFE && xml[1] == (byte) 0xFF) || (xml[0] == (byte) 0xFF && xml[1] == (byte) 0xFE))) {
            throw new XmlRejectedException("XML-ENCODING", "document is UTF-16; ZATCA requires UTF-8");
        }
        int start = (xml.length >= 3 && xml[0] == (byte) 0xEF && xml[1] == (byte) 0xBB && xml[2] == (byte) 0xBF) ? 3 : 0;
        if (xml.length - start < 5 || xml[start] != '<' || xml[start + 1] != '?') {
            return;
        }
        int end = Math.min(xml.length, start + 200);
        String head = new String(xml, start, end - start, StandardCharsets.ISO_8859_1);
        int close = head.indexOf("?>");
        if (!head.startsWith("<?xml") || close < 0) {
            return;
        }
        String decl = head.substring(0, close);
        int enc = decl.indexOf("encoding");
        if (enc < 0) {
            return;
        }
        String rest = decl.substring(enc + "encoding".length()).stripLeading();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).stripLeading();
        }
        if (rest.isEmpty()) {
            return;
        }
        char quote = rest.charAt(0);
        int q2 = rest.indexOf(quote, 1);
        String name = q2 > 0 ? rest.substring(1, q2) : rest;
        if (!name.equalsIgnoreCase("UTF-8") && !name.equalsIgnoreCase("UTF8")) {
            throw new XmlRejectedException("XML-ENCODING",
                    "document declares encoding '" + name + "'; ZATCA requires UTF-8, convert the export to UTF-8");
        }
    }

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            for (Map.Entry<String, Boolean> e : PROTECTIONS.entrySet()) {
                f.setFeature(e.getKey(), e.getValue());
            }
            // every node is visited anyway (hash, serialisation): building them at once is cheaper than deferring
            f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks a required security feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    private static SAXParserFactory newSaxFactory() {
        SAXParserFactory f = SAXParserFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        try {
            for (Map.Entry<String, Boolean> e : PROTECTIONS.entrySet()) {
                f.setFeature(e.getKey(), e.getValue());
            }
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("XML parser lacks a required security feature", e);
        }
        return f;
    }

    private static XMLReader newReader() {
        try {
            XMLReader r = SAX.newSAXParser().getXMLReader();
            r.setErrorHandler(SILENT);
            return r;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder b = FACTORY.newDocumentBuilder();
            b.setErrorHandler(SILENT);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new empty namespace-aware document. */
    public static Document newDocument() {
        return BUILDER.get().newDocument();
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
