package io.zatcagateway.fatoora;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import io.zatcagateway.core.Crypto;

/**
 * A CSID as ZATCA returns it: {@code binarySecurityToken} (base64 of the base64 DER certificate, used as is) and
 * {@code secret}. {@link #toString()} never shows the secret.
 */
public record Credentials(String binarySecurityToken, String secret) {

    /** {@code Basic base64(token:secret)}. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((binarySecurityToken + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The certificate to sign with: base64-decoding the token gives the base64 DER text. */
    public X509Certificate certificate() throws GeneralSecurityException {
        return Crypto.certificate(new String(Base64.getDecoder().decode(binarySecurityToken), StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "Credentials[token " + (binarySecurityToken.length() > 12 ? binarySecurityToken.substring(0, 12) + "…" : "…") + ", secret hidden]";
    }
}
