package io.zatcagateway.egs;

import io.zatcagateway.core.Crypto;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.core.csr.CsrGenerator;
import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.fatoora.Credentials;
import io.zatcagateway.fatoora.FatooraClient;
import io.zatcagateway.fatoora.FatooraClient.Answer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Onboarding and renewal of one EGS as a resumable sequence: a key and CSR, the compliance CSID (with the OTP, or
 * the renewal PATCH), the compliance scenarios, the production CSID. Every step's outcome is written to the EGS's
 * vault before the next begins, so a second run continues where the first stopped, never reuses an OTP (none is
 * asked for once the compliance CSID exists) and never resends a CSR that ZATCA refused.
 */
public final class Onboarding {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Onboarding.class);
    /** How a run ended: {@code ok}, or which step failed, ZATCA's message and what to do next. */
    public record Result(boolean ok, String step, String message, String nextAction) {
        static Result done(String message) {
            return new Result(true, "done", message, null);
        }
    }

    private final EgsConfig egs;
    private final KeyVault vault;
    private final FatooraClient client;
    private final PrintStream out;

    public Onboarding(EgsConfig egs, KeyVault vault, FatooraClient client, PrintStream out) {
        this.egs = egs;
        this.vault = vault;
        this.client = client;
        this.out = out;
    }

    /** First onboarding, or the continuation of an interrupted one (or of a renewal). */
    public Result onboard(Supplier<String> otp) throws IOException, InterruptedException {
        EgsSecrets s = load();
        if (s.step == EgsSecrets.Step.ONBOARDED && !s.renewing) {
            return Result.done("EGS " + egs.id() + " is already onboarded in " + egs.environment().id() + "; use renew to replace its certificate");
        }
        return proceed(s, otp);
    }

    /** Renewal of the production CSID: new key and CSR, renewal OTP, {@code PATCH /production/csids}. */
    public Result renew(Supplier<String> otp) throws IOException, InterruptedException {
        EgsSecrets s = load();
        if (s.productionToken == null) {
            return new Result(false, "renewal", "EGS " + egs.id() + " has no production CSID yet", "run onboard " + egs.id() + " first");
        }
        if (!s.renewing) {
            s.renewing = true;
            s.step = EgsSecrets.Step.NEW;
            s.complianceToken = null;
            s.complianceSecret = null;
            s.complianceRequestId = null;
            s.passedScenarios.clear();
            save(s);
        }
        return proceed(s, otp);
    }

    private EgsSecrets load() throws IOException {
        EgsSecrets s = vault.read(egs.environment().id(), egs.id());
        return s == null ? new EgsSecrets() : s;
    }

    private void save(EgsSecrets s) throws IOException {
        vault.write(egs.environment().id(), egs.id(), s);
    }

    private Result proceed(EgsSecrets s, Supplier<String> otp) throws IOException, InterruptedException {
        String what = s.renewing ? "renewal" : "onboarding";
        say(what + " of EGS " + egs.id() + " (" + egs.environment().id() + ", " + client.baseUrl() + ")");
        while (true) {
            Result r = switch (s.step) {
                case NEW -> newCsr(s);
                case CSR_READY -> complianceCsid(s, otp);
                case COMPLIANCE_CSID -> scenarios(s);
                case CHECKS_PASSED -> productionCsid(s);
                case ONBOARDED -> Result.done(what + " of EGS " + egs.id() + " complete");
            };
            if (r != null) {
                say(r.ok() ? "OK: " + r.message() : "FAILED at " + r.step() + ": " + r.message() + "\n  next: " + r.nextAction());
                return r;
            }
        }
    }

    // ---------------------------------------------------------------- steps (null = go on to the next step)

    private Result newCsr(EgsSecrets s) throws IOException {
        CsrGenerator.Csr csr;
        try {
            csr = CsrGenerator.generate(egs.profile());
        } catch (IllegalArgumentException e) {
            return new Result(false, "CSR", e.getMessage(), "fix config/egs/" + egs.id() + ".properties and run again");
        }
        s.privateKey = Base64.getEncoder().encodeToString(csr.keyPair().getPrivate().getEncoded());
        s.csr = csr.apiValue();
        s.step = EgsSecrets.Step.CSR_READY;
        save(s);
        say("  [1] new key and CSR made for " + egs.profile().commonName() + " (template " + egs.environment().templateName() + ")");
        return null;
    }

    private Result complianceCsid(EgsSecrets s, Supplier<String> otpSource) throws IOException, InterruptedException {
        if (s.rejectedCsrs.contains(fingerprint(s.csr))) {
            s.step = EgsSecrets.Step.NEW;
            save(s);
            return null;
        }
        List<String> problems = diagnose(s.csr);
        String otp = problems.isEmpty() ? otpSource.get() : null;
        if (problems.isEmpty() && (otp == null || !otp.trim().matches("[0-9]{6}"))) {
            problems.add("the OTP must be the six digits shown by the Fatoora portal");
        }
        if (!problems.isEmpty()) {
            return new Result(false, "OTP and CSR check (nothing was sent to ZATCA)", String.join("; ", problems),
                    "correct the cause above and run again");
        }
        Answer a;
        try {
            a = s.renewing ? client.renewProductionCsid(productionCredentials(s), otp.trim(), s.csr) : client.complianceCsid(otp.trim(), s.csr);
        } catch (IOException e) {
            return new Result(false, s.renewing ? "renewal request" : "compliance CSID request",
                    "ZATCA could not be reached: " + e.getMessage(), "check the network and run again (the OTP stays valid for 60 minutes if unused)");
        }
        String code = firstErrorCode(a);
        if (a.status() == 200 && s.renewing) {
            adoptProduction(s, a.credentials(), s.privateKey);
            say("  [2] renewed production CSID issued");
            return null;
        }
        if (a.status() == 200 || a.status() == 428) {
            s.complianceToken = a.credentials().binarySecurityToken();
            s.complianceSecret = a.credentials().secret();
            s.complianceRequestId = a.text("requestID");
            s.passedScenarios.clear();
            s.step = EgsSecrets.Step.COMPLIANCE_CSID;
            save(s);
            say("  [2] compliance CSID issued (request " + s.complianceRequestId + ")"
                    + (a.status() == 428 ? "; ZATCA asks for the compliance checks again before the renewed production CSID" : ""));
            return null;
        }
        if ("Invalid-OTP".equals(code)) {
            say(supportReport(s.csr, s.renewing ? "PATCH /production/csids" : "POST /compliance"));
            return new Result(false, s.renewing ? "renewal (OTP)" : "compliance CSID (OTP)", "ZATCA answered Invalid-OTP: " + errorMessage(a),
                    "generate a new " + (s.renewing ? "renewal " : "") + "OTP on the Fatoora portal of the " + egs.environment().id()
                            + " environment for VAT " + egs.vat() + " (valid 60 minutes, single use) and run again; the support report above is ready to send to ZATCA");
        }
        if (a.status() == 400 || a.status() == 401) {
            s.rejectedCsrs.add(fingerprint(s.csr));
            s.step = EgsSecrets.Step.NEW;
            save(s);
            return new Result(false, s.renewing ? "renewal request" : "compliance CSID request",
                    "ZATCA refused the CSR (" + a.status() + " " + code + "): " + errorMessage(a),
                    "fix the cause, then run again: a new key and CSR will be made (ZATCA does not accept a refused CSR twice)");
        }
        return new Result(false, "compliance CSID request", "ZATCA answered " + a.status() + ": " + errorMessage(a),
                "run again later (the OTP stays valid for 60 minutes if unused)");
    }

    private Result scenarios(EgsSecrets s) throws IOException, InterruptedException {
        Credentials ccsid = new Credentials(s.complianceToken, s.complianceSecret);
        InvoiceSigner signer;
        try {
            signer = new InvoiceSigner(new SigningIdentity(privateKey(s.privateKey), ccsid.certificate()));
        } catch (GeneralSecurityException e) {
            return new Result(false, "compliance checks", "the compliance CSID cannot be read: " + e.getMessage(), "run onboard again");
        }
        List<ComplianceScenarios.Scenario> all = ComplianceScenarios.forEgs(egs);
        String pih = InvoiceHash.GENESIS_PIH;
        long icv = 0;
        int n = 0;
        for (ComplianceScenarios.Scenario sc : all) {
            n++;
            SignedInvoice d;
            try {
                d = signer.sign(sc.xml().getBytes(StandardCharsets.UTF_8), ++icv, pih, Instant.now());
            } catch (io.zatcagateway.core.xml.XmlRejectedException e) {
                return new Result(false, "compliance check " + n + "/" + all.size() + " (" + sc.name() + ")", "the scenario document is not valid XML: "
                        + e.getMessage(), "report this as a gateway bug");
            }
            pih = d.invoiceHash();
            if (s.passedScenarios.contains(sc.name())) {
                continue;
            }
            Answer a;
            try {
                a = client.complianceCheck(ccsid, d.invoiceHash(), d.uuid(), d.xml());
            } catch (IOException e) {
                return new Result(false, "compliance check " + n + "/" + all.size() + " (" + sc.name() + ")", "ZATCA could not be reached: " + e.getMessage(),
                        "run again: passed checks are kept, the rest are retried");
            }
            if (a.status() != 200 && a.status() != 202) {
                return new Result(false, "compliance check " + n + "/" + all.size() + " (" + sc.name() + ")",
                        "ZATCA answered " + a.status() + ": " + validationMessages(a),
                        "fix the document template or the EGS configuration and run again: passed checks are kept, the rest are retried");
            }
            s.passedScenarios.add(sc.name());
            save(s);
            say("  [3] compliance check " + n + "/" + all.size() + " passed: " + sc.name() + (a.status() == 202 ? " (with warnings: " + validationMessages(a) + ")" : ""));
        }
        s.step = EgsSecrets.Step.CHECKS_PASSED;
        save(s);
        return null;
    }

    private Result productionCsid(EgsSecrets s) throws IOException, InterruptedException {
        Answer a;
        try {
            a = client.productionCsid(new Credentials(s.complianceToken, s.complianceSecret), s.complianceRequestId);
        } catch (IOException e) {
            return new Result(false, "production CSID request", "ZATCA could not be reached: " + e.getMessage(), "run again");
        }
        if (a.status() != 200) {
            return new Result(false, "production CSID request", "ZATCA answered " + a.status() + ": " + errorMessage(a),
                    "run again; if ZATCA keeps refusing, run the compliance checks again with a new onboarding");
        }
        adoptProduction(s, a.credentials(), s.privateKey);
        say("  [4] production CSID issued");
        return null;
    }

    private void adoptProduction(EgsSecrets s, Credentials pcsid, String key) throws IOException {
        if (s.productionToken != null) {
            try {
                X509Certificate old = new Credentials(s.productionToken, s.productionSecret).certificate();
                s.retired.add(old.getSerialNumber() + " valid until " + old.getNotAfter().toInstant());
            } catch (GeneralSecurityException e) {
                s.retired.add("unreadable certificate");
            }
        }
        s.productionToken = pcsid.binarySecurityToken();
        s.productionSecret = pcsid.secret();
        s.productionKey = key;
        s.complianceToken = null;
        s.complianceSecret = null;
        s.renewing = false;
        s.alerted.clear();
        s.step = EgsSecrets.Step.ONBOARDED;
        save(s);
    }

    // ---------------------------------------------------------------- helpers

    /** A progress line for the person running the command, and the same line in the log (steps at DEBUG). */
    private void say(String line) {
        out.println(line);
        if (line.startsWith("OK:")) {
            LOG.info("EGS {}: {}", egs.id(), line);
        } else if (line.startsWith("FAILED")) {
            LOG.warn("EGS {}: {}", egs.id(), line.replace('\n', ' '));
        } else {
            LOG.debug("EGS {}: {}", egs.id(), line.replace('\n', ' '));
        }
    }

    private static Credentials productionCredentials(EgsSecrets s) {
        return new Credentials(s.productionToken, s.productionSecret);
    }

    /** What makes ZATCA answer Invalid-OTP on the gateway's side, checked before the OTP is spent. */
    List<String> diagnose(String csrApiValue) {
        List<String> p = new ArrayList<>();
        PKCS10CertificationRequest csr = parse(csrApiValue);
        if (csr == null) {
            p.add("the stored CSR cannot be read");
            return p;
        }
        String sanVat = sanValue(csr, org.bouncycastle.asn1.x500.style.BCStyle.UID);
        if (!egs.vat().equals(sanVat)) {
            p.add("the CSR's VAT number (" + sanVat + ") is not the EGS's VAT number (" + egs.vat() + ")");
        }
        String template = templateName(csr);
        if (!egs.environment().templateName().equals(template)) {
            p.add("the CSR's certificate template '" + template + "' is not the " + egs.environment().id() + " environment's '"
                    + egs.environment().templateName() + "'");
        }
        ZatcaEnvironment env = egs.environment();
        if (env.baseUrl() != null && !client.baseUrl().equals(env.baseUrl())) {
            p.add("the base URL " + client.baseUrl() + " is not the " + env.id() + " environment's (" + env.baseUrl() + ")");
        }
        return p;
    }

    /** Everything ZATCA support needs to trace an Invalid-OTP, and nothing secret (no key, no OTP). */
    String supportReport(String csrApiValue, String call) {
        PKCS10CertificationRequest csr = parse(csrApiValue);
        StringBuilder b = new StringBuilder("---- support report (send to ZATCA; holds no key and no OTP) ----\n");
        b.append("EGS: ").append(egs.id()).append('\n');
        b.append("environment: ").append(egs.environment().id()).append('\n');
        b.append("endpoint: ").append(call).append(' ').append(client.baseUrl()).append('\n');
        b.append("time (UTC): ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append('\n');
        b.append("VAT number: ").append(egs.vat()).append('\n');
        if (csr != null) {
            b.append("CSR subject: ").append(csr.getSubject()).append('\n');
            b.append("CSR SAN: SN=").append(sanValue(csr, org.bouncycastle.asn1.x500.style.BCStyle.SURNAME))
                    .append(", UID=").append(sanValue(csr, org.bouncycastle.asn1.x500.style.BCStyle.UID))
                    .append(", title=").append(sanValue(csr, org.bouncycastle.asn1.x500.style.BCStyle.T))
                    .append(", registeredAddress=").append(sanValue(csr, CsrGenerator.REGISTERED_ADDRESS))
                    .append(", businessCategory=").append(sanValue(csr, org.bouncycastle.asn1.x500.style.BCStyle.BUSINESS_CATEGORY)).append('\n');
            b.append("certificate template: ").append(templateName(csr)).append('\n');
        }
        return b.append("----").toString();
    }

    static PKCS10CertificationRequest parse(String csrApiValue) {
        try (PEMParser p = new PEMParser(new java.io.StringReader(new String(Base64.getDecoder().decode(csrApiValue), StandardCharsets.UTF_8)))) {
            Object o = p.readObject();
            return o instanceof PKCS10CertificationRequest r ? r : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static org.bouncycastle.asn1.x509.Extensions extensions(PKCS10CertificationRequest csr) {
        var attrs = csr.getAttributes(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        return attrs.length == 0 ? null : org.bouncycastle.asn1.x509.Extensions.getInstance(attrs[0].getAttrValues().getObjectAt(0));
    }

    private static String templateName(PKCS10CertificationRequest csr) {
        var ext = extensions(csr);
        var t = ext == null ? null : ext.getExtension(CsrGenerator.TEMPLATE_NAME);
        return t != null && t.getParsedValue() instanceof org.bouncycastle.asn1.ASN1String s ? s.getString() : null;
    }

    private static String sanValue(PKCS10CertificationRequest csr, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        var ext = extensions(csr);
        var san = ext == null ? null : ext.getExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        if (san == null) {
            return null;
        }
        for (var g : org.bouncycastle.asn1.x509.GeneralNames.getInstance(san.getParsedValue()).getNames()) {
            if (g.getTagNo() == org.bouncycastle.asn1.x509.GeneralName.directoryName) {
                var rdns = org.bouncycastle.asn1.x500.X500Name.getInstance(g.getName()).getRDNs(oid);
                if (rdns.length > 0 && rdns[0].getFirst().getValue() instanceof org.bouncycastle.asn1.ASN1String s) {
                    return s.getString();
                }
            }
        }
        return null;
    }

    static PrivateKey privateKey(String pkcs8Base64) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC", Crypto.BC).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8Base64)));
    }

    private static String fingerprint(String csrApiValue) {
        return Base64.getEncoder().encodeToString(InvoiceHash.sha256(csrApiValue.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String firstErrorCode(Answer a) {
        var e = a.body().path("errors");
        return e.isArray() && e.size() > 0 ? e.get(0).path("code").asText() : null;
    }

    private static String errorMessage(Answer a) {
        var e = a.body().path("errors");
        if (e.isArray() && e.size() > 0) {
            List<String> m = new ArrayList<>();
            e.forEach(x -> m.add(x.path("code").asText() + ": " + x.path("message").asText()));
            return String.join("; ", m);
        }
        String v = validationMessages(a);
        return v.isEmpty() ? a.body().toString() : v;
    }

    private static String validationMessages(Answer a) {
        List<String> m = new ArrayList<>();
        for (String kind : new String[] {"errorMessages", "warningMessages"}) {
            a.body().path("validationResults").path(kind).forEach(x -> m.add(x.path("code").asText() + " " + x.path("message").asText()));
        }
        return String.join("; ", m);
    }
}
