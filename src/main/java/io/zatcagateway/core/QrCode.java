package io.zatcagateway.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * ZATCA's QR payload: TLV records (1-byte tag, 1-byte length, value), base64-encoded.
 * Tags: 1 seller name, 2 VAT number, 3 timestamp, 4 total with VAT, 5 VAT total, 6 invoice hash,
 * 7 ECDSA signature, 8 public key, 9 the CA's signature over the certificate (simplified documents only).
 */
public final class QrCode {
    /** BR-CL-KSA-14: at most 700 base64 characters. */
    public static final int MAX_BASE64_LENGTH = 700;

    private QrCode() {
    }

    public static String encode(InvoiceFacts facts, String invoiceHash, String signatureValue, SigningIdentity identity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        tlv(out, 1, utf8(facts.sellerName(), "seller name (RegistrationName)"));
        tlv(out, 2, utf8(facts.sellerVat(), "seller VAT number"));
        tlv(out, 3, utf8(facts.qrTimestamp(), "issue date and time"));
        tlv(out, 4, utf8(facts.taxInclusiveAmount(), "TaxInclusiveAmount"));
        tlv(out, 5, utf8(facts.taxAmount(), "TaxTotal/TaxAmount"));
        tlv(out, 6, utf8(invoiceHash, "invoice hash"));
        tlv(out, 7, utf8(signatureValue, "signature value"));
        tlv(out, 8, identity.publicKeyDerShared());
        if (facts.simplified()) {
            tlv(out, 9, identity.certificateSignatureShared());
        }
        String b64 = Base64.getEncoder().encodeToString(out.toByteArray());
        if (b64.length() > MAX_BASE64_LENGTH) {
            throw new IllegalArgumentException("QR code is " + b64.length() + " base64 characters, over ZATCA's limit of "
                    + MAX_BASE64_LENGTH + " (BR-CL-KSA-14); shorten the seller name");
        }
        return b64;
    }

    private static byte[] utf8(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("cannot build the QR code: " + what + " is missing");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void tlv(ByteArrayOutputStream out, int tag, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("QR tag " + tag + " is " + value.length + " bytes; a TLV value holds at most 255");
        }
        out.write(tag);
        out.write(value.length);
        out.write(value, 0, value.length);
    }

    /** Decodes base64 TLV into tag → value; throws IllegalArgumentException on malformed input. */
    public static Map<Integer, byte[]> decode(String base64) {
        byte[] b = Base64.getDecoder().decode(base64.trim());
        Map<Integer, byte[]> out = new TreeMap<>();
        int i = 0;
        while (i < b.length) {
            if (i + 2 > b.length) {
                throw new IllegalArgumentException("QR TLV truncated at byte " + i);
            }
            int tag = b[i] & 0xFF;
            int len = b[i + 1] & 0xFF;
            if (i + 2 + len > b.length) {
                throw new IllegalArgumentException("QR tag " + tag + " length " + len + " runs past the end");
            }
            byte[] v = new byte[len];
            System.arraycopy(b, i + 2, v, 0, len);
            if (out.put(tag, v) != null) {
                throw new IllegalArgumentException("QR tag " + tag + " appears twice");
            }
            i += 2 + len;
        }
        return out;
    }
}
