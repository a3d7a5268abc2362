package io.zatcagateway.core;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * BouncyCastle, used only where the JDK lacks something: secp256k1 keys and ECDSA (gone from SunEC since JDK 16).
 * The provider is handed over explicitly and never registered first, so SHA-256 everywhere else stays on the
 * JDK's much faster implementation.
 */
public final class Crypto {
    public static final Provider BC = new BouncyCastleProvider();
    public static final String CURVE = "secp256k1";
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private Crypto() {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(CURVE));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a secp256k1 key: " + e.getMessage(), e);
        }
    }

    public static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BC).generateCertificate(new ByteArrayInputStream(der));
    }

    /** A certificate from base64 DER text (line breaks and PEM armour are tolerated). */
    public static X509Certificate certificate(String base64OrPem) throws GeneralSecurityException {
        String body = withoutWhitespace(base64OrPem.indexOf('-') >= 0 ? base64OrPem.replaceAll("-----[A-Z ]+-----", "") : base64OrPem);
        try {
            return certificate(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("certificate is not base64: " + e.getMessage(), e);
        }
    }

    /**
     * The text without the whitespace characters of regular expressions' {@code \s} (space, tab, line feed, vertical
     * tab, form feed, carriage return), e.g. a certificate's base64 with its line breaks. A verified document's
     * certificate goes through this on every check, where the regular expression it replaces showed in about 8% of
     * the check's profile samples.
     */
    public static String withoutWhitespace(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            if (space && b == null) {
                b = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!space && b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
