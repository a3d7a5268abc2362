package io.zatcagateway.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class InvoiceSignerTest {
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
    final InvoiceSigner signer = new InvoiceSigner(TestPki.identity());

    static Stream<Arguments> sixKinds() {
        return Stream.of(DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE)
                .flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    static byte[] unsigned(DocumentType type, boolean simplified) {
        return SAMPLES.document(type, simplified, "T-" + type.code(), "T-388").getBytes(StandardCharsets.UTF_8);
    }

    private SignedInvoice sign(DocumentType type, boolean simplified) throws Exception {
        return signer.sign(unsigned(type, simplified), 7, InvoiceHash.GENESIS_PIH, Instant.now());
    }

    @ParameterizedTest(name = "{0} simplified={1}")
    @MethodSource("sixKinds")
    void signedDocumentVerifiesAndPassesPreflight(DocumentType type, boolean simplified) throws Exception {
        SignedInvoice s = sign(type, simplified);
        Document reparsed = SecureXml.parse(s.xml());
        ValidationReport v = SignatureVerifier.verify(reparsed);
        assertTrue(v.findings().isEmpty(), v::toString);
        ValidationReport p = Preflight.check(reparsed, PreflightOptions.signed().withExpectedPih(InvoiceHash.GENESIS_PIH).withExpectedIcv(7L));
        assertFalse(p.hasErrors(), p::toString);
        assertTrue(p.warnings().isEmpty(), p::toString);
        // the hash the signer reports is the hash of the bytes it returns
        assertEquals(s.invoiceHash(), InvoiceHash.of(reparsed));
        InvoiceFacts f = InvoiceFacts.read(reparsed);
        assertEquals(7L, f.icv());
        assertEquals(InvoiceHash.GENESIS_PIH, f.pih());
        assertEquals(type, f.type());
        assertEquals(simplified, f.simplified());
    }

    @ParameterizedTest(name = "{0} simplified={1}")
    @MethodSource("sixKinds")
    void theStreamedQrIsTheQrOfTheTree(DocumentType type, boolean simplified) throws Exception {
        SignedInvoice s = sign(type, simplified);
        assertEquals(s.qr(), InvoiceFacts.qr(s.xml()));
        assertEquals(InvoiceFacts.read(SecureXml.parse(s.xml())).qr(), InvoiceFacts.qr(s.xml()));
        // an unsigned document has no QR; a document with a DOCTYPE is refused, as by the tree parse
        assertEquals(null, InvoiceFacts.qr(unsigned(type, simplified)));
        String withDoctype = new String(s.xml(), StandardCharsets.UTF_8).replaceFirst("\\?>", "?><!DOCTYPE Invoice [<!ENTITY x 'y'>]>");
        assertEquals("XML-DOCTYPE", assertThrows(io.zatcagateway.core.xml.XmlRejectedException.class,
                () -> InvoiceFacts.qr(withDoctype.getBytes(StandardCharsets.UTF_8))).code());
    }

    @ParameterizedTest(name = "{0} simplified={1}")
    @MethodSource("sixKinds")
    void qrCarriesTheRightTags(DocumentType type, boolean simplified) throws Exception {
        SignedInvoice s = sign(type, simplified);
        Map<Integer, byte[]> tags = QrCode.decode(s.qr());
        assertEquals(simplified ? 9 : 8, tags.size());
        assertEquals("Test Seller LLC", new String(tags.get(1), StandardCharsets.UTF_8));
        assertEquals(TestPki.SELLER_VAT, new String(tags.get(2), StandardCharsets.UTF_8));
        assertEquals(s.facts().taxInclusiveAmount(), new String(tags.get(4), StandardCharsets.UTF_8));
        assertEquals(s.invoiceHash(), new String(tags.get(6), StandardCharsets.UTF_8));
        assertEquals(s.signatureValue(), new String(tags.get(7), StandardCharsets.UTF_8));
        assertArrayEquals(TestPki.identity().certificate().getPublicKey().getEncoded(), tags.get(8));
    }

    @Test
    void aChainLinksEachDocumentToThePreviousHash() throws Exception {
        String pih = InvoiceHash.GENESIS_PIH;
        for (long icv = 1; icv <= 6; icv++) {
            SignedInvoice s = signer.sign(unsigned(DocumentType.INVOICE, icv % 2 == 0), icv, pih, Instant.now());
            InvoiceFacts f = InvoiceFacts.read(SecureXml.parse(s.xml()));
            assertEquals(icv, f.icv());
            assertEquals(pih, f.pih());
            pih = s.invoiceHash();
        }
    }

    @Test
    void restampingReplacesIcvAndPihInsteadOfAddingThem() throws Exception {
        SignedInvoice first = sign(DocumentType.INVOICE, true);
        SignedInvoice again = signer.sign(first.xml(), 8, first.invoiceHash(), Instant.now());
        String text = new String(again.xml(), StandardCharsets.UTF_8);
        assertEquals(1, count(text, "<cbc:ID>ICV</cbc:ID>"));
        assertEquals(1, count(text, "<cbc:ID>PIH</cbc:ID>"));
        assertEquals(1, count(text, "<cbc:ID>QR</cbc:ID>"));
        assertEquals(1, count(text, "<ext:UBLExtensions>"));
        assertTrue(SignatureVerifier.verify(SecureXml.parse(again.xml())).findings().isEmpty());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void oneChangedByteInTheBodyIsCaught() throws Exception {
        String xml = new String(sign(DocumentType.INVOICE, true).xml(), StandardCharsets.UTF_8);
        String tampered = xml.replace("<cbc:Name>Pencil box</cbc:Name>", "<cbc:Name>Pencil boy</cbc:Name>");
        assertTrue(!tampered.equals(xml));
        ValidationReport v = SignatureVerifier.verify(SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8)));
        assertTrue(v.has("SIG-INVOICE-HASH"), v::toString);
        assertTrue(v.has("QR-TAG-6"), v::toString);
    }

    @Test
    void oneChangedByteInTheSignedPropertiesIsCaught() throws Exception {
        SignedInvoice s = sign(DocumentType.INVOICE, false);
        String xml = new String(s.xml(), StandardCharsets.UTF_8);
        String time = s.signingTime();
        String other = time.substring(0, time.length() - 2) + (time.charAt(time.length() - 2) == '0' ? '1' : '0') + "Z";
        String tampered = xml.replace("<xades:SigningTime>" + time, "<xades:SigningTime>" + other);
        ValidationReport v = SignatureVerifier.verify(SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8)));
        assertTrue(v.has("SIG-SIGNED-PROPERTIES"), v::toString);
        assertFalse(v.has("SIG-INVOICE-HASH"), v::toString);
        // re-indenting the signed properties breaks the digest too (ZATCA hashes the text as laid out)
        String reindented = xml.replace("<xades:SignedSignatureProperties>", " <xades:SignedSignatureProperties>");
        assertTrue(SignatureVerifier.verify(SecureXml.parse(reindented.getBytes(StandardCharsets.UTF_8))).has("SIG-SIGNED-PROPERTIES"));
    }

    @Test
    void oneChangedByteInTheQrIsCaught() throws Exception {
        SignedInvoice s = sign(DocumentType.INVOICE, true);
        byte[] qr = Base64.getDecoder().decode(s.qr());
        qr[3] ^= 0x01; // a byte of tag 1 (seller name)
        String tampered = new String(s.xml(), StandardCharsets.UTF_8).replace(s.qr(), Base64.getEncoder().encodeToString(qr));
        Document doc = SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8));
        ValidationReport v = SignatureVerifier.verify(doc);
        assertTrue(v.has("QR-TAG-1"), v::toString);
        // the QR is outside the invoice hash: only the QR check can catch this
        assertFalse(v.has("SIG-INVOICE-HASH"), v::toString);
    }

    @Test
    void aForgedSignatureValueIsCaught() throws Exception {
        SignedInvoice s = sign(DocumentType.DEBIT_NOTE, true);
        byte[] sig = Base64.getDecoder().decode(s.signatureValue());
        sig[sig.length - 1] ^= 0x01;
        String forged = Base64.getEncoder().encodeToString(sig);
        String tampered = new String(s.xml(), StandardCharsets.UTF_8).replace("<ds:SignatureValue>" + s.signatureValue(), "<ds:SignatureValue>" + forged);
        ValidationReport v = SignatureVerifier.verify(SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8)));
        assertTrue(v.has("SIG-VALUE"), v::toString);
    }

    @Test
    void aChangedCertificateDigestIsCaught() throws Exception {
        SignedInvoice s = sign(DocumentType.INVOICE, false);
        String digest = TestPki.identity().certificateDigest();
        String tampered = new String(s.xml(), StandardCharsets.UTF_8).replace(digest, "A" + digest.substring(1));
        ValidationReport v = SignatureVerifier.verify(SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8)));
        assertTrue(v.has("SIG-CERT-DIGEST"), v::toString);
        assertTrue(v.has("SIG-SIGNED-PROPERTIES"), v::toString);
    }

    @Test
    void anExpiredCertificateSignsNothing() {
        SigningIdentity expired = TestPki.newIdentity(Duration.ofMinutes(1));
        InvoiceSigner s = new InvoiceSigner(expired);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.sign(unsigned(DocumentType.INVOICE, true), 1, InvoiceHash.GENESIS_PIH, Instant.now().plus(Duration.ofHours(1))));
        assertTrue(e.getMessage().contains("not valid"), e.getMessage());
    }

    @Test
    void identityNeverPrintsTheKey() {
        String s = TestPki.identity().toString();
        assertTrue(s.contains("key hidden"));
        assertFalse(s.contains("PRIVATE"));
    }

    @Test
    void signingTimeAndHashAreInTheDocument() throws Exception {
        SignedInvoice s = sign(DocumentType.INVOICE, false);
        String xml = new String(s.xml(), StandardCharsets.UTF_8);
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), xml.substring(0, 60));
        assertTrue(xml.contains("<ds:DigestValue>" + s.invoiceHash() + "</ds:DigestValue>"));
        assertTrue(xml.contains("<xades:SigningTime>" + s.signingTime() + "</xades:SigningTime>"));
        assertTrue(s.signingTime().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), s.signingTime());
    }
}
