package io.zatcagateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CryptoTest {
    /** Every character of regular expressions' \s is removed, and nothing else (non-breaking space, U+2028 stay). */
    @Test
    void withoutWhitespaceRemovesWhatBackslashSDoes() {
        Random r = new Random(7);
        char[] pool = {'A', 'z', '0', '+', '/', '=', ' ', '\t', '\n', 0x0B, '\f', '\r', '\u00A0', '\u2028', '\u3000', '-'};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = r.nextInt(40); n > 0; n--) {
                b.append(pool[r.nextInt(pool.length)]);
            }
            String s = b.toString();
            assertEquals(s.replaceAll("\\s", ""), Crypto.withoutWhitespace(s), () -> "for " + s.chars().mapToObj(Integer::toHexString).toList());
        }
        String clean = "MIIB" + "x".repeat(100);
        assertSame(clean, Crypto.withoutWhitespace(clean), "nothing to remove: the same string, no copy");
        assertEquals("", Crypto.withoutWhitespace(" \r\n\t"));
    }

    /** A certificate reads the same from bare base64, from base64 in 64-character lines, and from PEM. */
    @Test
    void certificateFromBase64LinesOrPem() throws Exception {
        SigningIdentity id = io.zatcagateway.testsupport.TestPki.identity();
        String b64 = Base64.getEncoder().encodeToString(id.certificate().getEncoded());
        String lines = Base64.getMimeEncoder().encodeToString(id.certificate().getEncoded());
        String pem = "-----BEGIN CERTIFICATE-----\n" + lines + "\n-----END CERTIFICATE-----\n";
        assertEquals(id.certificate(), Crypto.certificate(b64));
        assertEquals(id.certificate(), Crypto.certificate(lines));
        assertEquals(id.certificate(), Crypto.certificate(pem));
    }
}
