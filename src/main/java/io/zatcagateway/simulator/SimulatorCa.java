package io.zatcagateway.simulator;

import io.zatcagateway.core.Crypto;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The simulator's own test CA (secp256k1, in memory). It issues CSIDs the way ZATCA's CA does: the subject and
 * SubjectAltName of the CSR, digital-signature key usage, a random serial and a configurable validity.
 */
public final class SimulatorCa {
    public static final String ISSUER = "CN=ZGW-Simulator-SubCA-1, DC=simulator, DC=zatcagateway, DC=local";

    private final KeyPair keys = Crypto.newKeyPair();
    private final X500Name issuer = new X500Name(ISSUER);
    private final SecureRandom random = new SecureRandom();
    private final X509Certificate caCertificate;

    public SimulatorCa() {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), issuer, keys.getPublic());
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCertificate = new JcaX509CertificateConverter().setProvider(Crypto.BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder(Crypto.SIGNATURE_ALGORITHM).setProvider(Crypto.BC).build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the simulator CA: " + e.getMessage(), e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Issues a certificate for the CSR, valid from a minute ago for {@code validity}. */
    public X509Certificate issue(PKCS10CertificationRequest csr, Duration validity) throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            JcaPKCS10CertificationRequest req = new JcaPKCS10CertificationRequest(csr).setProvider(Crypto.BC);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, random).setBit(127),
                    Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(validity)), csr.getSubject(), req.getPublicKey());
            for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                Extensions ext = Extensions.getInstance(a.getAttrValues().getObjectAt(0));
                Extension san = ext.getExtension(Extension.subjectAlternativeName);
                if (san != null) {
                    b.addExtension(san);
                }
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().setProvider(Crypto.BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder(Crypto.SIGNATURE_ALGORITHM).setProvider(Crypto.BC).build(keys.getPrivate())));
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    /** True when {@code cert} was issued by this CA (its signature verifies with the CA key). */
    public boolean issued(X509Certificate cert) {
        try {
            cert.verify(keys.getPublic(), Crypto.BC);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
