package io.zatcagateway.simulator;

import io.zatcagateway.core.csr.CsrGenerator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** The fields ZATCA reads from a CSR, or null where absent. */
final class CsrFields {
    String country;
    String commonName;
    String organization;
    String organizationUnit;
    String serial;
    String vat;
    String invoiceType;
    String address;
    String industry;
    String template;
    String curve;

    static CsrFields of(PKCS10CertificationRequest csr) {
        CsrFields f = new CsrFields();
        X500Name s = csr.getSubject();
        f.country = rdn(s, BCStyle.C);
        f.commonName = rdn(s, BCStyle.CN);
        f.organization = rdn(s, BCStyle.O);
        f.organizationUnit = rdn(s, BCStyle.OU);
        ASN1Encodable params = csr.getSubjectPublicKeyInfo().getAlgorithm().getParameters();
        f.curve = params instanceof ASN1ObjectIdentifier oid ? oid.getId() : null;
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions ext = Extensions.getInstance(a.getAttrValues().getObjectAt(0));
            Extension t = ext.getExtension(CsrGenerator.TEMPLATE_NAME);
            if (t != null && t.getParsedValue() instanceof ASN1String str) {
                f.template = str.getString();
            }
            Extension san = ext.getExtension(Extension.subjectAlternativeName);
            if (san != null) {
                for (GeneralName g : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
                    if (g.getTagNo() == GeneralName.directoryName) {
                        X500Name d = X500Name.getInstance(g.getName());
                        f.serial = rdn(d, BCStyle.SURNAME);
                        f.vat = rdn(d, BCStyle.UID);
                        f.invoiceType = rdn(d, BCStyle.T);
                        f.address = rdn(d, CsrGenerator.REGISTERED_ADDRESS);
                        f.industry = rdn(d, BCStyle.BUSINESS_CATEGORY);
                    }
                }
            }
        }
        return f;
    }

    private static String rdn(X500Name n, ASN1ObjectIdentifier oid) {
        RDN[] r = n.getRDNs(oid);
        if (r.length == 0 || !(r[0].getFirst().getValue() instanceof ASN1String s)) {
            return null;
        }
        return s.getString();
    }
}
