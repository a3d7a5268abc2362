package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;

/**
 * The text of the {@code ext:UBLExtensions} signature block in the layout ZATCA's SDK writes, and the text of
 * {@code xades:SignedProperties} as ZATCA digests it. Both come from one generator, so the digested text and the
 * text in the document cannot drift apart: ZATCA hashes the signed properties as laid out, whitespace included,
 * with {@code xmlns:xades} on the element itself and {@code xmlns:ds} on every {@code ds:} element.
 */
final class XadesBlock {
    static final String C14N11 = "http://www.w3.org/2006/12/xml-c14n11";
    static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    static final String XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    static final String SIGNATURE_PROPERTIES = "http://www.w3.org/2000/09/xmldsig#SignatureProperties";
    static final String EXTENSION_URI = "urn:oasis:names:specification:ubl:dsig:enveloped:xades";
    static final String SIGNATURE_INFORMATION_ID = "urn:oasis:names:specification:ubl:signature:1";
    static final String REFERENCED_SIGNATURE_ID = "urn:oasis:names:specification:ubl:signature:Invoice";

    private XadesBlock() {
    }

    static String indent(int n) {
        return " ".repeat(n);
    }

    /** The signed properties; {@code standalone} adds the namespace declarations ZATCA's digest text carries. */
    static String signedProperties(String signingTime, SigningIdentity id, boolean standalone) {
        return signedProperties(signingTime, id.certificateDigest(), id.issuerName(), id.serialNumber(), standalone);
    }

    static String signedProperties(String signingTime, String certDigest, String issuerName, String serial, boolean standalone) {
        String ds = standalone ? " xmlns:ds=\"" + Ns.DS + "\"" : "";
        String xades = standalone ? " xmlns:xades=\"" + Ns.XADES + "\"" : "";
        return "<xades:SignedProperties" + xades + " Id=\"xadesSignedProperties\">\n"
                + indent(36) + "<xades:SignedSignatureProperties>\n"
                + indent(40) + "<xades:SigningTime>" + signingTime + "</xades:SigningTime>\n"
                + indent(40) + "<xades:SigningCertificate>\n"
                + indent(44) + "<xades:Cert>\n"
                + indent(48) + "<xades:CertDigest>\n"
                + indent(52) + "<ds:DigestMethod" + ds + " Algorithm=\"" + SHA256 + "\"/>\n"
                + indent(52) + "<ds:DigestValue" + ds + ">" + certDigest + "</ds:DigestValue>\n"
                + indent(48) + "</xades:CertDigest>\n"
                + indent(48) + "<xades:IssuerSerial>\n"
                + indent(52) + "<ds:X509IssuerName" + ds + ">" + Dom.escape(issuerName, false) + "</ds:X509IssuerName>\n"
                + indent(52) + "<ds:X509SerialNumber" + ds + ">" + serial + "</ds:X509SerialNumber>\n"
                + indent(48) + "</xades:IssuerSerial>\n"
                + indent(44) + "</xades:Cert>\n"
                + indent(40) + "</xades:SigningCertificate>\n"
                + indent(36) + "</xades:SignedSignatureProperties>\n"
                + indent(32) + "</xades:SignedProperties>";
    }

    static String signedPropertiesDigest(String signingTime, SigningIdentity id) {
        return InvoiceHash.hexDigestBase64(signedProperties(signingTime, id, true));
    }

    /** The whole {@code ext:UBLExtensions} element; needs {@code ext} and {@code cbc} bound on the root element. */
    static String extensions(String invoiceHash, String signedPropertiesDigest, String signatureValue,
                             String signingTime, SigningIdentity id) {
        StringBuilder b = new StringBuilder(6000);
        b.append("<ext:UBLExtensions>\n")
                .append(indent(4)).append("<ext:UBLExtension>\n")
                .append(indent(8)).append("<ext:ExtensionURI>").append(EXTENSION_URI).append("</ext:ExtensionURI>\n")
                .append(indent(8)).append("<ext:ExtensionContent>\n")
                .append(indent(12)).append("<sig:UBLDocumentSignatures xmlns:sig=\"").append(Ns.SIG)
                .append("\" xmlns:sac=\"").append(Ns.SAC).append("\" xmlns:sbc=\"").append(Ns.SBC).append("\">\n")
                .append(indent(16)).append("<sac:SignatureInformation>\n")
                .append(indent(20)).append("<cbc:ID>").append(SIGNATURE_INFORMATION_ID).append("</cbc:ID>\n")
                .append(indent(20)).append("<sbc:ReferencedSignatureID>").append(REFERENCED_SIGNATURE_ID).append("</sbc:ReferencedSignatureID>\n")
                .append(indent(20)).append("<ds:Signature xmlns:ds=\"").append(Ns.DS).append("\" Id=\"signature\">\n")
                .append(indent(24)).append("<ds:SignedInfo>\n")
                .append(indent(28)).append("<ds:CanonicalizationMethod Algorithm=\"").append(C14N11).append("\"/>\n")
                .append(indent(28)).append("<ds:SignatureMethod Algorithm=\"").append(ECDSA_SHA256).append("\"/>\n")
                .append(indent(28)).append("<ds:Reference Id=\"invoiceSignedData\" URI=\"\">\n")
                .append(indent(32)).append("<ds:Transforms>\n");
        for (String xpath : new String[] {"not(//ancestor-or-self::ext:UBLExtensions)", "not(//ancestor-or-self::cac:Signature)",
                "not(//ancestor-or-self::cac:AdditionalDocumentReference[cbc:ID='QR'])"}) {
            b.append(indent(36)).append("<ds:Transform Algorithm=\"").append(XPATH).append("\">\n")
                    .append(indent(40)).append("<ds:XPath>").append(Dom.escape(xpath, false)).append("</ds:XPath>\n")
                    .append(indent(36)).append("</ds:Transform>\n");
        }
        b.append(indent(36)).append("<ds:Transform Algorithm=\"").append(C14N11).append("\"/>\n")
                .append(indent(32)).append("</ds:Transforms>\n")
                .append(indent(32)).append("<ds:DigestMethod Algorithm=\"").append(SHA256).append("\"/>\n")
                .append(indent(32)).append("<ds:DigestValue>").append(invoiceHash).append("</ds:DigestValue>\n")
                .append(indent(28)).append("</ds:Reference>\n")
                .append(indent(28)).append("<ds:Reference Type=\"").append(SIGNATURE_PROPERTIES).append("\" URI=\"#xadesSignedProperties\">\n")
                .append(indent(32)).append("<ds:DigestMethod Algorithm=\"").append(SHA256).append("\"/>\n")
                .append(indent(32)).append("<ds:DigestValue>").append(signedPropertiesDigest).append("</ds:DigestValue>\n")
                .append(indent(28)).append("</ds:Reference>\n")
                .append(indent(24)).append("</ds:SignedInfo>\n")
                .append(indent(24)).append("<ds:SignatureValue>").append(signatureValue).append("</ds:SignatureValue>\n")
                .append(indent(24)).append("<ds:KeyInfo>\n")
                .append(indent(28)).append("<ds:X509Data>\n")
                .append(indent(32)).append("<ds:X509Certificate>").append(id.certificateBase64()).append("</ds:X509Certificate>\n")
                .append(indent(28)).append("</ds:X509Data>\n")
                .append(indent(24)).append("</ds:KeyInfo>\n")
                .append(indent(24)).append("<ds:Object>\n")
                .append(indent(28)).append("<xades:QualifyingProperties xmlns:xades=\"").append(Ns.XADES).append("\" Target=\"signature\">\n")
                .append(indent(32)).append(signedProperties(signingTime, id, false)).append('\n')
                .append(indent(28)).append("</xades:QualifyingProperties>\n")
                .append(indent(24)).append("</ds:Object>\n")
                .append(indent(20)).append("</ds:Signature>\n")
                .append(indent(16)).append("</sac:SignatureInformation>\n")
                .append(indent(12)).append("</sig:UBLDocumentSignatures>\n")
                .append(indent(8)).append("</ext:ExtensionContent>\n")
                .append(indent(4)).append("</ext:UBLExtension>\n")
                .append("</ext:UBLExtensions>");
        return b.toString();
    }
}
