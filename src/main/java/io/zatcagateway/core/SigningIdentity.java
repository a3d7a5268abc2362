package io.zatcagateway.core;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * The key and certificate (CSID) an EGS signs with, plus everything derived from the certificate that every
 * signature repeats: computed once, not per invoice. {@link #toString()} never shows the key.
 */
public final class SigningIdentity {
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String certificateBase64;
    private final String certificateDigest;
    private final String issuerName;
    private final String serialNumber;
    private final byte[] publicKeyDer;
    private final byte[] certificateSignature;

    public SigningIdentity(PrivateKey privateKey, X509Certificate certificate) {
        if (!"EC".equals(privateKey.getAlgorithm()) && !"ECDSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("signing key must be an EC (secp256k1) key, not " + privateKey.getAlgorithm());
        }
        this.privateKey = privateKey;
        this.certificate = certificate;
        try {
            this.certificateBase64 = Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
        this.certificateDigest = InvoiceHash.hexDigestBase64(certificateBase64);
        this.issuerName = issuerName(certificate);
        this.serialNumber = certificate.getSerialNumber().toString();
        this.publicKeyDer = certificate.getPublicKey().getEncoded();
        this.certificateSignature = certificate.getSignature();
    }

    /** ECDSA secp256k1 with SHA-256 over the 32 raw invoice-hash bytes (ZATCA's rule, not XMLDSig's SignedInfo). */
    public byte[] sign(byte[] invoiceHash) {
        try {
            Signature s = Signature.getInstance(Crypto.SIGNATURE_ALGORITHM, Crypto.BC);
            s.initSign(privateKey);
            s.update(invoiceHash);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA signing failed: " + e.getMessage(), e);
        }
    }

    public boolean validAt(Date when) {
        return !when.before(certificate.getNotBefore()) && !when.after(certificate.getNotAfter());
    }

    /** Issuer DN as ZATCA writes it in {@code ds:X509IssuerName}: RFC 2253 order, RDNs separated by ", ". */
    public static String issuerName(X509Certificate c) {
        String rfc2253 = c.getIssuerX500Principal().getName();
        List<String> rdns = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < rfc2253.length(); i++) {
            char ch = rfc2253.charAt(i);
            if (escaped) {
                cur.append(ch);
                escaped = false;
            } else if (ch == '\\') {
                cur.append(ch);
                escaped = true;
            } else if (ch == ',') {
                rdns.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        rdns.add(cur.toString());
        return String.join(", ", rdns);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificateBase64() {
        return certificateBase64;
    }

    public String certificateDigest() {
        return certificateDigest;
    }

    public String issuerName() {
        return issuerName;
    }

    public String serialNumber() {
        return serialNumber;
    }

    public byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    public byte[] certificateSignature() {
        return certificateSignature.clone();
    }

    byte[] publicKeyDerShared() {
        return publicKeyDer;
    }

    byte[] certificateSignatureShared() {
        return certificateSignature;
    }

    @Override
    public String toString() {
        return "SigningIdentity[certificate serial " + serialNumber + ", subject "
                + certificate.getSubjectX500Principal().getName() + ", key hidden]";
    }
}
