package io.zatcagateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.TestPki;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.RepeatedTest;

class QrImageTest {
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");

    /** Every signature is new (ECDSA), so each repetition renders a different payload. */
    @RepeatedTest(20)
    void pngDecodesBackToThePayload() throws Exception {
        SignedInvoice s = new InvoiceSigner(TestPki.identity()).sign(
                SAMPLES.document(DocumentType.INVOICE, true, "Q-1", null).getBytes(StandardCharsets.UTF_8), 1, InvoiceHash.GENESIS_PIH, Instant.now());

        // the symbol itself: sampled module by module, format information, mask and error correction checked
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(QrImage.png(s.qr(), 300)));
        assertEquals(s.qr(), new QRCodeReader().decode(bitmap(img), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText());
        assertTrue(img.getWidth() >= 300 && img.getWidth() == img.getHeight(), "at least the requested size, square: " + img.getWidth() + "x" + img.getHeight());

        // quiet zone: white, four modules wide, then the finder pattern
        assertEquals(0xFFFFFFFF, img.getRGB(0, 0));
        int firstBlack = 0;
        while (img.getRGB(firstBlack, firstBlack) == 0xFFFFFFFF) {
            firstBlack++;
        }
        int modules = com.google.zxing.qrcode.encoder.Encoder.encode(s.qr(), com.google.zxing.qrcode.decoder.ErrorCorrectionLevel.M)
                .getVersion().getDimensionForVersion();
        int module = img.getWidth() / (modules + 8);
        assertEquals(img.getWidth(), module * (modules + 8), "whole pixels per module");
        assertEquals(4 * module, firstBlack, "quiet zone of four modules of " + module + " px, then the finder pattern");
        assertEquals(0xFF000000, img.getRGB(firstBlack, firstBlack));

        // as a camera app reads it: zxing's generic detector, no hint that the picture is a clean symbol. That detector
        // misses about 1% of valid symbols (see QrImage), so QrImage reads each symbol back before writing it: every
        // picture it writes, at whatever size, must be read here
        for (int size : new int[] {300, 420, 560}) {
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(QrImage.png(s.qr(), size)));
            assertEquals(s.qr(), new MultiFormatReader().decode(bitmap(picture), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText(),
                    "read by a generic reader at " + size + " px");
        }
    }

    private static BinaryBitmap bitmap(BufferedImage img) {
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        return new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(), img.getHeight(), px)));
    }
}
