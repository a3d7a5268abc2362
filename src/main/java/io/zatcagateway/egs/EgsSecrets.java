package io.zatcagateway.egs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything secret and stateful about one EGS's certification, kept only inside its {@link KeyVault} file: the
 * current key and CSR, the compliance and production CSIDs, where onboarding stands, and retired certificates.
 * {@link #toString()} shows no secret.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class EgsSecrets {
    /** Where onboarding (or a renewal) stands; each run continues from here. */
    public enum Step { NEW, CSR_READY, COMPLIANCE_CSID, CHECKS_PASSED, ONBOARDED }

    public Step step = Step.NEW;
    /** PKCS#8 base64 of the key of the current CSR and CSIDs. */
    public String privateKey;
    /** base64 of the CSR PEM, as sent to ZATCA. */
    public String csr;
    /** SHA-256 fingerprints (base64) of CSRs ZATCA refused: never sent again. */
    public Set<String> rejectedCsrs = new LinkedHashSet<>();
    public String complianceRequestId;
    public String complianceToken;
    public String complianceSecret;
    /** Compliance scenarios that passed with the current compliance CSID. */
    public Set<String> passedScenarios = new LinkedHashSet<>();
    public String productionToken;
    public String productionSecret;
    /** The private key the production CSID belongs to (it survives a renewal in progress). */
    public String productionKey;
    /** True while a renewal is in progress (its key, CSR and CSIDs are in the fields above). */
    public boolean renewing;
    /** Serial numbers and expiry dates of production certificates replaced by renewals. */
    public List<String> retired = new ArrayList<>();
    /** Days-before-expiry thresholds already alerted (30, 14, 7, 1), for the current production certificate. */
    public Set<Integer> alerted = new LinkedHashSet<>();

    @Override
    public String toString() {
        return "EgsSecrets[step " + step + (renewing ? ", renewing" : "") + ", secrets hidden]";
    }
}
