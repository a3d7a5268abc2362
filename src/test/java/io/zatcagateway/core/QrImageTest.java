package io.zatcagateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.TestPki;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.imageio.ImageIO;

class QrImageTest {
    @org.junit.jupiter.api.RepeatedTest(20)
    void pngDecodesBackToThePayload() throws Exception {
        SampleDocuments samples = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
        SignedInvoice s = new InvoiceSigner(TestPki.identity()).sign(
                samples.document(DocumentType.INVOICE, true, "Q-1", null).getBytes(StandardCharsets.UTF_8), 1, InvoiceHash.GENESIS_PIH, Instant.now());
        byte[] png = QrImage.png(s.qr(), 400);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(), img.getHeight(), px))),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        assertEquals(s.qr(), decoded);
    }
}
