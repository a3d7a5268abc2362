package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the outbox finds for a document's QR picture. The simulator always returns a QR, so the routes never meet a
 * document without one; ZATCA's answer could still lack it or be unreadable, and the document must then go to the
 * outbox with a reason for the warning instead of failing.
 */
class OutboxQrLookupTest {
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");

    @Test
    void aSignedDocumentGivesItsQrAndOthersSayWhyNot() throws Exception {
        byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, "QR-1", null).getBytes(StandardCharsets.UTF_8);
        SignedInvoice signed = new InvoiceSigner(TestPki.identity()).sign(ubl, 1, InvoiceHash.GENESIS_PIH, Instant.now());

        ChainBeans.QrLookup found = ChainBeans.qrOf(signed.xml());
        assertEquals(signed.qr(), found.payload());
        assertNull(found.missing());

        ChainBeans.QrLookup none = ChainBeans.qrOf(ubl);
        assertNull(none.payload());
        assertEquals("it has no QR (cac:AdditionalDocumentReference QR)", none.missing());

        String text = new String(signed.xml(), StandardCharsets.UTF_8);
        byte[] truncated = text.substring(0, text.indexOf("<cac:AdditionalDocumentReference>")).getBytes(StandardCharsets.UTF_8);
        ChainBeans.QrLookup broken = ChainBeans.qrOf(truncated);
        assertNull(broken.payload());
        assertTrue(broken.missing().startsWith("its QR cannot be read: "), broken.missing());

        byte[] doctype = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"y\">]>" + text.substring(text.indexOf("?>") + 2))
                .getBytes(StandardCharsets.UTF_8);
        ChainBeans.QrLookup refused = ChainBeans.qrOf(doctype);
        assertNull(refused.payload());
        assertTrue(refused.missing().startsWith("its QR cannot be read: ") && refused.missing().contains("DOCTYPE"), refused.missing());
    }
}
