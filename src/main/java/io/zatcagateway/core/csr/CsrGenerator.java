package io.zatcagateway.core.csr;

import io.zatcagateway.core.Crypto;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Generates the CSR ZATCA's onboarding expects: secp256k1 key, ECDSA-SHA256 signature, subject
 * {@code C=SA, OU, O, CN} plus organizationIdentifier, the certificate-template-name extension of the
 * environment, and a SubjectAltName directoryName with SN, UID, title, registeredAddress and businessCategory.
 */
public final class CsrGenerator {
    /** Microsoft certificate template name extension. */
    public static final ASN1ObjectIdentifier TEMPLATE_NAME = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2");
    public static final ASN1ObjectIdentifier ORGANIZATION_IDENTIFIER = new ASN1ObjectIdentifier("2.5.4.97");
    public static final ASN1ObjectIdentifier REGISTERED_ADDRESS = new ASN1ObjectIdentifier("2.5.4.26");

    /** A CSR and its key pair; {@link #apiValue()} is what goes into {@code {"csr": ...}}. */
    public record Csr(PKCS10CertificationRequest request, KeyPair keyPair, String pem) {
        /** base64 of the whole PEM text, as ZATCA's API wants it. */
        public String apiValue() {
            return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Csr[" + request.getSubject() + ", key hidden]";
        }
    }

    private CsrGenerator() {
    }

    public static Csr generate(EgsProfile profile) {
        return generate(profile, Crypto.newKeyPair());
    }

    public static Csr generate(EgsProfile profile, KeyPair keys) {
        var problems = profile.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot make a CSR, the EGS configuration has problems:\n  - " + String.join("\n  - ", problems));
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "SA")
                .addRDN(BCStyle.OU, profile.organizationUnit())
                .addRDN(BCStyle.O, profile.organizationName())
                .addRDN(BCStyle.CN, profile.commonName())
                .addRDN(ORGANIZATION_IDENTIFIER, profile.vatNumber())
                .build();
        X500Name san = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.SURNAME, profile.serialNumber())
                .addRDN(BCStyle.UID, profile.vatNumber())
                .addRDN(BCStyle.T, profile.invoiceType())
                .addRDN(REGISTERED_ADDRESS, profile.address())
                .addRDN(BCStyle.BUSINESS_CATEGORY, profile.industry())
                .build();
        try {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(TEMPLATE_NAME, false, new DERUTF8String(profile.environment().templateName()));
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(san)));
            ContentSigner signer = new JcaContentSignerBuilder(Crypto.SIGNATURE_ALGORITHM).setProvider(Crypto.BC).build(keys.getPrivate());
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(signer);
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(csr);
            }
            return new Csr(csr, keys, w.toString());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CSR: " + e.getMessage(), e);
        }
    }
}
