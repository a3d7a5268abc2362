package io.zatcagateway.simulator;

import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An issued CSID: compliance (CCSID) or production (PCSID). {@code binarySecurityToken} is base64 of the base64 DER
 * certificate, exactly as ZATCA returns it; the EGS key is VAT number plus the SAN serial (SN), the unit ZATCA chains by.
 */
final class Csid {
    enum Kind { COMPLIANCE, PRODUCTION }

    final Kind kind;
    final String requestId;
    final String binarySecurityToken;
    final String secret;
    final X509Certificate certificate;
    final String vat;
    final String egs;
    final String invoiceType;
    /** For a CCSID: the document kinds (e.g. {@code standard-388}) that passed the compliance checks. */
    final Set<String> passedChecks = ConcurrentHashMap.newKeySet();
    volatile boolean productionIssued;
    /** The CSR this CSID was issued for (a PCSID reuses the CCSID's key and subject). */
    FatooraSimulator.CsrCheck csrCheck;

    Csid(Kind kind, String requestId, String binarySecurityToken, String secret, X509Certificate certificate, String vat,
         String egs, String invoiceType) {
        this.kind = kind;
        this.requestId = requestId;
        this.binarySecurityToken = binarySecurityToken;
        this.secret = secret;
        this.certificate = certificate;
        this.vat = vat;
        this.egs = egs;
        this.invoiceType = invoiceType;
    }

    /** The compliance checks ZATCA requires before a PCSID, by the CSR's title (1000 / 0100 / 1100). */
    Set<String> requiredChecks() {
        Set<String> s = new java.util.TreeSet<>();
        if (invoiceType.charAt(0) == '1') {
            s.addAll(Set.of("standard-388", "standard-381", "standard-383"));
        }
        if (invoiceType.charAt(1) == '1') {
            s.addAll(Set.of("simplified-388", "simplified-381", "simplified-383"));
        }
        return s;
    }

    @Override
    public String toString() {
        return "Csid[" + kind + ", request " + requestId + ", egs " + egs + ", secret hidden]";
    }
}
