package io.zatcagateway.core.validation;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * UBL 2.1 schema validation with the OASIS schemas shipped in the {@code ph-ubl21} artifact and the xmldsig, XAdES
 * and CCTS schemas of the {@code ph-xsds-*} artifacts (UBL imports those by namespace only). ZATCA validates credit and
 * debit notes against the Invoice schema too. The schema is compiled once (about a second) on first use.
 */
final class XsdValidator {
    private static final String UBL_INVOICE = "/external/schemas/ubl21/maindoc/UBL-Invoice-2.1.xsd";
    private static final Map<String, String> BY_NAMESPACE = Map.of(
            "http://www.w3.org/2000/09/xmldsig#", "/schemas/xmldsig-core-schema.xsd",
            "http://uri.etsi.org/01903/v1.3.2#", "/schemas/XAdES01903v132-201601.xsd",
            "http://uri.etsi.org/01903/v1.4.1#", "/schemas/XAdES01903v141-201601.xsd",
            "urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2", "/schemas/CCTS_CCT_SchemaModule.xsd");

    private static volatile Schema schema;

    private XsdValidator() {
    }

    static Schema schema() {
        Schema s = schema;
        if (s == null) {
            synchronized (XsdValidator.class) {
                s = schema;
                if (s == null) {
                    schema = s = compile();
                }
            }
        }
        return s;
    }

    private static Schema compile() {
        try {
            SchemaFactory f = SchemaFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar,file");
            f.setResourceResolver(new ClasspathResolver());
            URL main = XsdValidator.class.getResource(UBL_INVOICE);
            if (main == null) {
                throw new IllegalStateException("UBL 2.1 schemas are missing from the classpath (" + UBL_INVOICE + ")");
            }
            return f.newSchema(main);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot compile the UBL 2.1 schema: " + e.getMessage(), e);
        }
    }

    static List<Finding> validate(Source source) {
        List<Finding> out = new ArrayList<>();
        Validator v = schema().newValidator();
        try {
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                    out.add(Finding.error("XSD", e.getMessage(), location(e)));
                }

                @Override
                public void fatalError(SAXParseException e) {
                    out.add(Finding.error("XSD", e.getMessage(), location(e)));
                }
            });
            v.validate(source);
        } catch (SAXException | java.io.IOException e) {
            out.add(Finding.error("XSD", "schema validation stopped: " + e.getMessage(), "document"));
        }
        return out;
    }

    private static String location(SAXParseException e) {
        return e.getLineNumber() > 0 ? "line " + e.getLineNumber() + ", column " + e.getColumnNumber() : "document";
    }

    /** Resolves namespace-only imports of xmldsig and XAdES to the schemas on the classpath. */
    private static final class ClasspathResolver implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            if (systemId != null) {
                return null;
            }
            String path = namespace == null ? null : BY_NAMESPACE.get(namespace);
            if (path == null) {
                return null;
            }
            URL url = XsdValidator.class.getResource(path);
            return url == null ? null : new Input(url);
        }
    }

    private record Input(URL url) implements LSInput {
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader r) { }
        @Override public InputStream getByteStream() {
            try {
                return url.openStream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        @Override public void setByteStream(InputStream s) { }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String s) { }
        @Override public String getSystemId() { return url.toExternalForm(); }
        @Override public void setSystemId(String s) { }
        @Override public String getPublicId() { return null; }
        @Override public void setPublicId(String s) { }
        @Override public String getBaseURI() { return url.toExternalForm(); }
        @Override public void setBaseURI(String s) { }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String s) { }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean b) { }
    }
}
