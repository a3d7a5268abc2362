package io.zatcagateway.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureXmlTest {
    @TempDir
    Path tmp;

    private static XmlRejectedException reject(String xml) {
        return assertThrows(XmlRejectedException.class, () -> SecureXml.parse(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The declared encoding is read however the declaration spaces it; only UTF-8 passes, and a refusal names it. */
    @Test
    void aDeclaredEncodingOtherThanUtf8IsRefusedAndNamed() throws Exception {
        for (String decl : new String[] {"encoding=\"windows-1256\"", "encoding = 'windows-1256'", "encoding\t=\n\"windows-1256\""}) {
            XmlRejectedException e = reject("<?xml version=\"1.0\" " + decl + "?><r>x</r>");
            assertEquals("XML-ENCODING", e.code(), decl);
            assertTrue(e.getMessage().contains("'windows-1256'"), e.getMessage());
        }
        for (String decl : new String[] {"encoding=\"UTF-8\"", "encoding = 'utf-8'", "encoding =\"UTF8\""}) {
            assertEquals("r", SecureXml.parse(("<?xml version=\"1.0\" " + decl + "?><r>x</r>").getBytes(StandardCharsets.UTF_8))
                    .getDocumentElement().getNodeName(), decl);
        }
    }

    @Test
    void externalEntityIsRefusedAndTheFileIsNeverRead() throws Exception {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        XmlRejectedException e = reject("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>");
        assertEquals("XML-DOCTYPE", e.code());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
    }

    @Test
    void entityExpansionBombIsRefused() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            b.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                b.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            b.append("\">");
        }
        b.append("]><lolz>&lol9;</lolz>");
        assertEquals("XML-DOCTYPE", reject(b.toString()).code());
    }

    @Test
    void theThreadsReaderComesWithoutThePreviousUsersHandlers() throws Exception {
        String lexical = "http://xml.org/sax/properties/lexical-handler";
        org.xml.sax.XMLReader r = SecureXml.reader();
        org.xml.sax.ext.DefaultHandler2 previous = new org.xml.sax.ext.DefaultHandler2() {
            @Override
            public void comment(char[] ch, int start, int length) {
                throw new IllegalStateException("a previous user's handler was fed a comment");
            }
        };
        r.setContentHandler(previous);
        r.setProperty(lexical, previous);
        org.xml.sax.XMLReader again = SecureXml.reader();
        assertEquals(null, again.getContentHandler());
        assertEquals(null, again.getProperty(lexical));
        again.parse(new org.xml.sax.InputSource(new java.io.StringReader("<a><!-- c --><b/></a>")));
    }

    @Test
    void plainDoctypeIsRefused() {
        assertEquals("XML-DOCTYPE", reject("<!DOCTYPE Invoice SYSTEM \"http://127.0.0.1:1/x.dtd\"><Invoice/>").code());
    }

    @Test
    void oversizeDocumentIsRefusedBeforeParsing() {
        byte[] big = new byte[2048];
        XmlRejectedException e = assertThrows(XmlRejectedException.class, () -> SecureXml.parse(big, 1024));
        assertEquals("XML-TOO-LARGE", e.code());
        assertTrue(e.getMessage().contains("1024"));
    }

    @Test
    void malformedAndTruncatedXmlSayWhere() {
        XmlRejectedException e = reject("<Invoice><cbc:ID>1</cbc:ID>");
        assertEquals("XML-MALFORMED", e.code());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        assertEquals("XML-MALFORMED", reject("this is not xml").code());
    }

    @Test
    void otherEncodingsAreRefused() {
        assertEquals("XML-ENCODING", reject("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").code());
        byte[] latin1 = "<?xml version=\"1.0\"?><a>caf\u00e9</a>".getBytes(StandardCharsets.ISO_8859_1);
        XmlRejectedException e = assertThrows(XmlRejectedException.class, () -> SecureXml.parse(latin1));
        assertEquals("XML-ENCODING", e.code());
        byte[] utf16 = "<a/>".getBytes(StandardCharsets.UTF_16);
        assertEquals("XML-ENCODING", assertThrows(XmlRejectedException.class, () -> SecureXml.parse(utf16)).code());
    }

    @Test
    void utf8WithBomAndArabicTextParses() throws Exception {
        byte[] body = "<a>\u0634\u0631\u0643\u0629</a>".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertEquals("\u0634\u0631\u0643\u0629", SecureXml.parse(withBom).getDocumentElement().getTextContent());
    }
}
