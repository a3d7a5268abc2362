package io.zatcagateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Known-answer tests: fixed inputs built here, expected values computed independently (hashlib). */
class InvoiceHashTest {
    static final String NS = "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""
            + " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\""
            + " xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\""
            + " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\"";

    static final String KAT_DOC = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice " + NS + "><ext:UBLExtensions><ext:UBLExtension/></ext:UBLExtensions>\n"
            + "    <cbc:ID>KAT-1</cbc:ID>\n"
            + "    <cac:AdditionalDocumentReference><cbc:ID>QR</cbc:ID></cac:AdditionalDocumentReference>\n"
            + "    <cac:Signature><cbc:ID>x</cbc:ID></cac:Signature>\n"
            + "    <cbc:Note b=\"2\" a=\"1\"/>\n</Invoice>";

    /** C14N 1.1 of KAT_DOC without the three excluded parts: namespaces sorted, attributes sorted, whitespace kept. */
    static final String KAT_CANONICAL = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""
            + " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
            + " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\""
            + " xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\">\n"
            + "    <cbc:ID>KAT-1</cbc:ID>\n    \n    \n    <cbc:Note a=\"1\" b=\"2\"></cbc:Note>\n</Invoice>";

    @Test
    void canonicalFormDropsExtensionsSignatureAndQrButKeepsWhitespace() throws Exception {
        Document doc = SecureXml.parse(KAT_DOC.getBytes(StandardCharsets.UTF_8));
        assertEquals(KAT_CANONICAL, new String(InvoiceHash.canonicalForm(doc), StandardCharsets.UTF_8));
    }

    @Test
    void invoiceHashKnownAnswer() throws Exception {
        Document doc = SecureXml.parse(KAT_DOC.getBytes(StandardCharsets.UTF_8));
        assertEquals("LgopW9nGGru3Vubk2uhHS62gczitoL7URIxQUrPMKQg=", InvoiceHash.of(doc));
    }

    @Test
    void hashingLeavesTheDocumentUnchanged() throws Exception {
        Document doc = SecureXml.parse(KAT_DOC.getBytes(StandardCharsets.UTF_8));
        String before = XmlWriter.toText(doc);
        InvoiceHash.of(doc);
        assertEquals(before, XmlWriter.toText(doc));
    }

    @Test
    void contentOutsideTheExcludedPartsChangesTheHash() throws Exception {
        String changed = KAT_DOC.replace("KAT-1", "KAT-2");
        assertNotEquals(InvoiceHash.of(SecureXml.parse(KAT_DOC.getBytes(StandardCharsets.UTF_8))),
                InvoiceHash.of(SecureXml.parse(changed.getBytes(StandardCharsets.UTF_8))));
        String qrChanged = KAT_DOC.replace("<cbc:ID>QR</cbc:ID>", "<cbc:ID>QR</cbc:ID><cbc:UUID>9</cbc:UUID>");
        assertEquals(InvoiceHash.of(SecureXml.parse(KAT_DOC.getBytes(StandardCharsets.UTF_8))),
                InvoiceHash.of(SecureXml.parse(qrChanged.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void genesisPihIsBase64OfTheHexSha256OfZero() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest("0".getBytes(StandardCharsets.US_ASCII));
        StringBuilder hex = new StringBuilder();
        for (byte b : d) {
            hex.append(String.format("%02x", b));
        }
        assertEquals("5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9", hex.toString());
        assertEquals(Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII)), InvoiceHash.GENESIS_PIH);
        assertEquals("NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ==", InvoiceHash.GENESIS_PIH);
    }

    @Test
    void certificateDigestKnownAnswer() {
        assertEquals("ZmU4OTk1MmRhYzg4Yzk1NjU5MDY4NzU2YTc2MzI2ZGQzYjUyYmRiZWNjM2Q0MDRjZTgwNzBiY2VkYmQ5NmNmMw==",
                InvoiceHash.hexDigestBase64("MIIBkTCCATegAwIBAgIJAKATcertificatetextforknownanswer"));
    }

    @Test
    void signedPropertiesDigestKnownAnswer() {
        String text = XadesBlock.signedProperties("2026-01-15T10:15:00Z", "Q0VSVERJR0VTVA==", "CN=Test CA, DC=example, DC=local", "123456789", true);
        assertEquals("ZmFiMDY5OWY4NGQ0OTVjMjViNjYxODg0ZTE5N2Q5MWE0OTlkMmI1NTU2NWQ0MjNmOGIyZTgwNjUxNGU0MTYwYg==",
                InvoiceHash.hexDigestBase64(text));
    }
}
