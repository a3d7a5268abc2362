package io.zatcagateway.core.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.Crypto;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decodes the generated CSR from its API form (base64 of PEM) and checks ZATCA's field list point by point. */
class CsrGeneratorTest {
    static EgsProfile profile(ZatcaEnvironment env) {
        return new EgsProfile("EGS-Riyadh-POS-01", "1-ZatcaGateway|2-1.0|3-6f4d20e0-6bfe-4a80-9389-7dabe6620f12", "310175397400003",
                "Riyadh Branch", "Maximum Speed Tech Supply LTD", "1100", "RRRD2929, King Fahd Road, Riyadh", "Retail", env);
    }

    static String rdn(X500Name name, ASN1ObjectIdentifier oid) {
        RDN[] r = name.getRDNs(oid);
        assertEquals(1, r.length, "exactly one " + oid);
        return ((ASN1String) r[0].getFirst().getValue()).getString();
    }

    @ParameterizedTest
    @EnumSource(ZatcaEnvironment.class)
    void csrCarriesEveryFieldZatcaRequires(ZatcaEnvironment env) throws Exception {
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(env));
        String pem = new String(Base64.getDecoder().decode(csr.apiValue()), StandardCharsets.UTF_8);
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE REQUEST-----"), pem);
        PKCS10CertificationRequest req;
        try (PEMParser p = new PEMParser(new java.io.StringReader(pem))) {
            req = (PKCS10CertificationRequest) p.readObject();
        }
        // signature: ECDSA with SHA-256 by the key in the request, key on secp256k1
        assertEquals(X9ObjectIdentifiers.ecdsa_with_SHA256, req.getSignatureAlgorithm().getAlgorithm());
        assertTrue(req.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Crypto.BC).build(req.getSubjectPublicKeyInfo())));
        SubjectPublicKeyInfo spki = req.getSubjectPublicKeyInfo();
        AlgorithmIdentifier alg = spki.getAlgorithm();
        assertEquals(X9ObjectIdentifiers.id_ecPublicKey, alg.getAlgorithm());
        assertEquals(SECObjectIdentifiers.secp256k1, alg.getParameters());
        // subject
        X500Name subject = req.getSubject();
        assertEquals("SA", rdn(subject, BCStyle.C));
        assertEquals("Riyadh Branch", rdn(subject, BCStyle.OU));
        assertEquals("Maximum Speed Tech Supply LTD", rdn(subject, BCStyle.O));
        assertEquals("EGS-Riyadh-POS-01", rdn(subject, BCStyle.CN));
        assertEquals("310175397400003", rdn(subject, CsrGenerator.ORGANIZATION_IDENTIFIER));
        // extensions
        Extensions ext = Extensions.getInstance(req.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        Extension template = ext.getExtension(CsrGenerator.TEMPLATE_NAME);
        assertEquals(env.templateName(), ((ASN1String) template.getParsedValue()).getString());
        GeneralNames san = GeneralNames.getInstance(ext.getExtension(Extension.subjectAlternativeName).getParsedValue());
        assertEquals(1, san.getNames().length);
        assertEquals(GeneralName.directoryName, san.getNames()[0].getTagNo());
        X500Name dir = X500Name.getInstance(san.getNames()[0].getName());
        assertEquals("1-ZatcaGateway|2-1.0|3-6f4d20e0-6bfe-4a80-9389-7dabe6620f12", rdn(dir, BCStyle.SURNAME));
        assertEquals("310175397400003", rdn(dir, BCStyle.UID));
        assertEquals("1100", rdn(dir, BCStyle.T));
        assertEquals("RRRD2929, King Fahd Road, Riyadh", rdn(dir, CsrGenerator.REGISTERED_ADDRESS));
        assertEquals("Retail", rdn(dir, BCStyle.BUSINESS_CATEGORY));
        assertTrue(!csr.toString().contains("PRIVATE"));
    }

    @Test
    void templateNamesFollowTheEnvironment() {
        assertEquals("TSTZATCA-Code-Signing", ZatcaEnvironment.DEVELOPER_PORTAL.templateName());
        assertEquals("PREZATCA-Code-Signing", ZatcaEnvironment.SIMULATION.templateName());
        assertEquals("ZATCA-Code-Signing", ZatcaEnvironment.CORE.templateName());
    }

    @Test
    void badConfigurationIsRefusedBeforeAnyCsrIsMade() {
        EgsProfile p = profile(ZatcaEnvironment.CORE);
        EgsProfile bad = new EgsProfile("x".repeat(65), "TST-001", "210175397400002", p.organizationUnit(), p.organizationName(),
                "0010", p.address(), p.industry(), p.environment());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsrGenerator.generate(bad));
        assertTrue(e.getMessage().contains("vat: '210175397400002' must be 15 digits, starting and ending with 3"), e.getMessage());
        assertTrue(e.getMessage().contains("common-name"), e.getMessage());
        assertTrue(e.getMessage().contains("over the limit of 64"), e.getMessage());
        assertTrue(e.getMessage().contains("serial-number"), e.getMessage());
        assertTrue(e.getMessage().contains("document-kinds"), e.getMessage());
    }

    @Test
    void arabicCommonNameIsMeasuredInBytes() {
        EgsProfile p = profile(ZatcaEnvironment.CORE);
        String arabic = "\u0641\u0631\u0639".repeat(11); // 33 characters, 66 bytes
        EgsProfile bad = new EgsProfile(arabic, p.serialNumber(), p.vatNumber(), p.organizationUnit(), p.organizationName(),
                p.invoiceType(), p.address(), p.industry(), p.environment());
        assertTrue(bad.problems().stream().anyMatch(s -> s.startsWith("common-name") && s.contains("66 bytes")), bad.problems().toString());
    }

    @Test
    void vatGroupNeedsTheMembersTin() {
        EgsProfile p = profile(ZatcaEnvironment.CORE);
        EgsProfile group = new EgsProfile(p.commonName(), p.serialNumber(), "310175397410003", "Riyadh Branch", p.organizationName(),
                p.invoiceType(), p.address(), p.industry(), p.environment());
        assertTrue(group.problems().stream().anyMatch(s -> s.startsWith("organization-unit") && s.contains("10-digit TIN")), group.problems().toString());
        EgsProfile ok = new EgsProfile(p.commonName(), p.serialNumber(), "310175397410003", "3101753974", p.organizationName(),
                p.invoiceType(), p.address(), p.industry(), p.environment());
        assertTrue(ok.problems().isEmpty(), ok.problems().toString());
    }
}
