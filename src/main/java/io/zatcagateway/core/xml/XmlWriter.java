package io.zatcagateway.core.xml;

import java.io.StringWriter;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;

/** Serialises a DOM with the JDK's identity transformer (not Saxon's, which a plain lookup would find). */
public final class XmlWriter {
    private static final TransformerFactory FACTORY = TransformerFactory.newDefaultInstance();
    private static final ThreadLocal<Transformer> IDENTITY = ThreadLocal.withInitial(XmlWriter::newIdentity);

    private XmlWriter() {
    }

    /** The document as text with an XML declaration ({@code <?xml version="1.0" encoding="UTF-8"?>}). */
    public static String toText(Document doc) {
        doc.setXmlStandalone(true);
        StringWriter w = new StringWriter(32 * 1024);
        try {
            IDENTITY.get().transform(new DOMSource(doc), new StreamResult(w));
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise XML: " + e.getMessage(), e);
        }
        return w.toString();
    }

    /** The document as UTF-8 bytes with an XML declaration. */
    public static byte[] toUtf8(Document doc) {
        doc.setXmlStandalone(true);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(32 * 1024);
        try {
            IDENTITY.get().transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise XML: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static Transformer newIdentity() {
        try {
            Transformer t = FACTORY.newTransformer();
            t.setOutputProperty(OutputKeys.METHOD, "xml");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            return t;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
