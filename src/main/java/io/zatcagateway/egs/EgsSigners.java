package io.zatcagateway.egs;

import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.fatoora.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live signer of each EGS, from its vault: the production CSID and its key, never a compliance CSID. The vault
 * file is re-read when it changes, so a renewal takes effect between two documents of the chain; a certificate that
 * is not valid at the signing time stops that EGS, and only that EGS, with a reason.
 */
public final class EgsSigners {
    private record Loaded(FileTime modified, InvoiceSigner signer, Credentials credentials) {
    }

    private final KeyVault vault;
    private final Map<String, EgsConfig> egs;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    public EgsSigners(KeyVault vault, Map<String, EgsConfig> egs) {
        this.vault = vault;
        this.egs = Map.copyOf(egs);
    }

    /** The signer for a document signed at {@code now}. */
    public InvoiceSigner signerFor(String egsId, Instant now) throws EgsUnavailableException {
        Loaded l = load(egsId);
        var cert = l.signer().identity().certificate();
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new EgsUnavailableException(egsId, "EGS " + egsId + ": its production certificate (serial " + cert.getSerialNumber()
                    + ") expired at " + cert.getNotAfter().toInstant() + "; nothing is signed until it is renewed: run renew " + egsId);
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new EgsUnavailableException(egsId, "EGS " + egsId + ": its production certificate is valid only from "
                    + cert.getNotBefore().toInstant());
        }
        return l.signer();
    }

    /** The production CSID credentials for reporting and clearance (Basic auth). */
    public Credentials credentials(String egsId) throws EgsUnavailableException {
        return load(egsId).credentials();
    }

    private Loaded load(String egsId) throws EgsUnavailableException {
        EgsConfig c = egs.get(egsId);
        if (c == null) {
            throw new EgsUnavailableException(egsId, "unknown EGS '" + egsId + "' (no config/egs/" + egsId + ".properties)");
        }
        try {
            var file = vault.file(c.environment().id(), egsId);
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            Loaded l = cache.get(egsId);
            if (l != null && l.modified().equals(modified)) {
                return l;
            }
            EgsSecrets s = vault.read(c.environment().id(), egsId);
            if (s == null || s.productionToken == null) {
                throw new EgsUnavailableException(egsId, "EGS " + egsId + " is not onboarded in " + c.environment().id() + ": run onboard " + egsId);
            }
            Credentials pcsid = new Credentials(s.productionToken, s.productionSecret);
            InvoiceSigner signer = new InvoiceSigner(new SigningIdentity(Onboarding.privateKey(s.productionKey), pcsid.certificate()));
            l = new Loaded(modified, signer, pcsid);
            cache.put(egsId, l);
            return l;
        } catch (IOException | GeneralSecurityException e) {
            throw new EgsUnavailableException(egsId, "EGS " + egsId + ": its vault cannot be used: " + e.getMessage());
        }
    }
}
