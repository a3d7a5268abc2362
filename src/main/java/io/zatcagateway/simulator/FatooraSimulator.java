package io.zatcagateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zatcagateway.core.Crypto;
import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.Severity;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.Ns;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A local Fatoora: ZATCA's onboarding, compliance, reporting and clearance API over real HTTP, with the same paths
 * under a base URL, headers, JSON bodies, status codes and error shapes, so that the gateway moves to ZATCA's
 * environments by changing the base URL and credentials only. It validates with the gateway's own core (hash,
 * signature, pre-flight), keeps what it accepted, and injects faults on demand.
 */
public final class FatooraSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FatooraSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VAT = Pattern.compile("3[0-9]{13}3");
    private static final Pattern INVOICE_TYPES = Pattern.compile("1000|0100|1100");
    static {
        // without TCP_NODELAY, Nagle's algorithm and delayed ACKs stall each exchange ~40 ms on loopback;
        // the JDK server reads this once, when its classes load
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static final String INVALID_OTP = "{\"errors\":[{\"code\":\"Invalid-OTP\",\"message\":\"The provided OTP is invalid\"}]}";

    private final SimulatorConfig config;
    private final SimClock clock = new SimClock();
    private final SimulatorCa ca = new SimulatorCa();
    private final OtpRegistry otps;
    private final Faults faults = new Faults();
    private final DocumentRecords records = new DocumentRecords();
    private final Map<String, Csid> csidsByToken = new ConcurrentHashMap<>();
    private final Map<String, Csid> csidsByRequestId = new ConcurrentHashMap<>();
    private final Set<String> usedCsrKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> clearedByHash = new ConcurrentHashMap<>();
    private final Map<String, String[]> chainHead = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong(1_700_000_000_000L + System.nanoTime() % 1_000_000L);
    private final SecureRandom random = new SecureRandom();
    private volatile boolean clearanceEnabled;
    private HttpServer server;
    private ExecutorService executor;

    public FatooraSimulator(SimulatorConfig config) {
        this.config = config;
        this.otps = new OtpRegistry(clock, config.demoOtp());
        this.clearanceEnabled = config.clearanceEnabled();
    }

    public synchronized FatooraSimulator start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
        executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "fatoora-sim");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        if (config.strictValidation()) {
            Preflight.warmUpStrict();
        }
        LOG.info("Fatoora simulator ({}) listening on {}", config.environment().id(), baseUrl());
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** ZATCA-style base URL, e.g. {@code http://127.0.0.1:8443/e-invoicing/developer-portal}. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + port() + config.basePath();
    }

    public String adminUrl() {
        return "http://" + config.host() + ":" + port() + "/admin";
    }

    public OtpRegistry.Otp issueOtp(String vat) {
        return otps.issue(vat, config.environment().id());
    }

    public DocumentRecords records() {
        return records;
    }

    public Faults faults() {
        return faults;
    }

    public SimClock clock() {
        return clock;
    }

    public void setClearanceEnabled(boolean enabled) {
        this.clearanceEnabled = enabled;
    }

    public X509Certificate caCertificate() {
        return ca.caCertificate();
    }

    // ------------------------------------------------------------------ dispatch

    private record Reply(int status, byte[] body) {
        static Reply json(int status, Object body) {
            try {
                return new Reply(status, JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply raw(int status, String json) {
            return new Reply(status, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Thrown inside a handler to answer with the given reply. */
    private static final class Answer extends RuntimeException {
        final transient Reply reply;

        Answer(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private static Answer error(int status, String code, String message) {
        return new Answer(Reply.json(status, Map.of("errors", List.of(Map.of("code", code, "message", message)))));
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Reply reply;
            try {
                if (path.startsWith("/admin/")) {
                    reply = admin(ex, path.substring("/admin".length()), method);
                } else if (path.startsWith(config.basePath() + "/")) {
                    reply = api(ex, path.substring(config.basePath().length()), method);
                } else {
                    reply = Reply.json(404, Map.of("errors", List.of(Map.of("code", "Not-Found", "message",
                            "no such endpoint; the API lives under " + config.basePath()))));
                }
            } catch (Answer a) {
                reply = a.reply;
            } catch (Dropped d) {
                return; // closing without a response aborts the connection: the client never learns the outcome
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
            if (reply.body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply.body);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("simulator request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            byte[] b = "{\"errors\":[{\"code\":\"Internal-Error\",\"message\":\"internal error\"}]}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, b.length);
            ex.getResponseBody().write(b);
        } finally {
            ex.close();
        }
    }

    private Reply api(HttpExchange ex, String path, String method) throws IOException {
        String version = ex.getRequestHeaders().getFirst("Accept-Version");
        if (!"V2".equalsIgnoreCase(version == null ? "" : version.trim())) {
            throw error(406, "Invalid-Version", "the Accept-Version header must be V2");
        }
        switch (path) {
            case "/compliance":
                requireMethod(method, "POST");
                return compliance(ex);
            case "/compliance/invoices":
                requireMethod(method, "POST");
                return submit(ex, Endpoint.COMPLIANCE);
            case "/production/csids":
                if ("PATCH".equals(method)) {
                    return renew(ex);
                }
                requireMethod(method, "POST");
                return production(ex);
            case "/invoices/reporting/single":
                requireMethod(method, "POST");
                return submit(ex, Endpoint.REPORTING);
            case "/invoices/clearance/single":
                requireMethod(method, "POST");
                return submit(ex, Endpoint.CLEARANCE);
            default:
                throw error(404, "Not-Found", "no such endpoint: " + path);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw error(405, "Method-Not-Allowed", "use " + expected);
        }
    }

    /** Oversize bodies are read and discarded up to this many bytes, so the client gets to read the 413. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private byte[] body(HttpExchange ex) throws IOException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = ex.getRequestBody()) {
            if (len != null && Long.parseLong(len.trim()) > config.maxBodyBytes()) {
                drain(in);
                throw tooLarge();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > config.maxBodyBytes()) {
                    drain(in);
                    throw tooLarge();
                }
            }
            return out.toByteArray();
        }
    }

    private Answer tooLarge() {
        return error(413, "Payload-Too-Large", "request body over " + config.maxBodyBytes() + " bytes; the invoice was not received");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buf)) > 0) {
            total += n;
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw error(400, "Invalid-Request", "the request body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw error(400, "Invalid-Request", "the request body is not valid JSON");
        }
    }

    private static String field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw error(400, "Invalid-Request", "field '" + name + "' is required");
        }
        return v.asText();
    }

    /** The CSID named by Basic auth, checked for kind and expiry. */
    private Csid authenticate(HttpExchange ex, Csid.Kind kind) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Basic ")) {
            throw error(401, "Unauthorized", "Basic authentication with the CSID's binarySecurityToken and secret is required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw error(401, "Unauthorized", "malformed Basic credentials");
        }
        int colon = decoded.lastIndexOf(':');
        Csid c = colon < 0 ? null : csidsByToken.get(decoded.substring(0, colon));
        if (c == null || !constantTimeEquals(c.secret, decoded.substring(colon + 1))) {
            throw error(401, "Unauthorized", "unknown CSID or wrong secret");
        }
        if (c.kind != kind) {
            throw error(401, "Unauthorized", kind == Csid.Kind.PRODUCTION
                    ? "a compliance CSID cannot report or clear documents; onboard a production CSID"
                    : "this endpoint needs the compliance CSID");
        }
        if (clock.now().isAfter(c.certificate.getNotAfter().toInstant())) {
            throw error(401, "Unauthorized", "the CSID expired on " + c.certificate.getNotAfter().toInstant() + "; renew it");
        }
        return c;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ onboarding

    private Reply compliance(HttpExchange ex) throws IOException {
        JsonNode req = json(body(ex));
        String otp = ex.getRequestHeaders().getFirst("OTP");
        CsrCheck csr = checkCsr(field(req, "csr"));
        OtpRegistry.Refusal refusal = otps.consume(otp == null ? null : otp.trim(), csr.vat, config.environment().id());
        if (refusal != null) {
            LOG.info("compliance CSID refused for VAT {}: OTP {}", csr.vat, refusal);
            return Reply.raw(400, INVALID_OTP);
        }
        if (!usedCsrKeys.add(csr.keyId)) {
            throw error(400, "Invalid-CSR", "this CSR was already used for a CSID request; generate a new key and CSR");
        }
        Csid c = issue(Csid.Kind.COMPLIANCE, csr, String.valueOf(requestIds.incrementAndGet()), config.complianceValidity());
        return Reply.json(200, csidBody(c));
    }

    private Reply production(HttpExchange ex) throws IOException {
        Csid ccsid = authenticate(ex, Csid.Kind.COMPLIANCE);
        JsonNode req = json(body(ex));
        String requestId = req.has("compliance_request_id") ? req.get("compliance_request_id").asText() : null;
        if (requestId == null || !requestId.equals(ccsid.requestId)) {
            throw error(400, "Invalid-Request-ID", "compliance_request_id '" + requestId + "' does not belong to this compliance CSID");
        }
        Set<String> missing = new java.util.TreeSet<>(ccsid.requiredChecks());
        missing.removeAll(ccsid.passedChecks);
        if (!missing.isEmpty()) {
            throw error(400, "Missing-Compliance-Steps", "compliance checks not yet passed for: " + String.join(", ", missing));
        }
        synchronized (ccsid) {
            if (ccsid.productionIssued) {
                throw error(400, "Invalid-Request-ID", "a production CSID was already issued for this compliance request");
            }
            ccsid.productionIssued = true;
        }
        Csid p = issue(Csid.Kind.PRODUCTION, ccsid.csrCheck, String.valueOf(requestIds.incrementAndGet()), config.productionValidity());
        return Reply.json(200, csidBody(p));
    }

    private Reply renew(HttpExchange ex) throws IOException {
        Csid current = authenticate(ex, Csid.Kind.PRODUCTION);
        JsonNode req = json(body(ex));
        CsrCheck csr = checkCsr(field(req, "csr"));
        String otp = ex.getRequestHeaders().getFirst("OTP");
        if (!csr.vat.equals(current.vat) || otps.consume(otp == null ? null : otp.trim(), csr.vat, config.environment().id()) != null) {
            return Reply.raw(400, INVALID_OTP);
        }
        if (!usedCsrKeys.add(csr.keyId)) {
            throw error(400, "Invalid-CSR", "this CSR was already used for a CSID request; generate a new key and CSR");
        }
        if (config.renewalRequiresCompliance()) {
            Csid c = issue(Csid.Kind.COMPLIANCE, csr, String.valueOf(requestIds.incrementAndGet()), config.complianceValidity());
            return Reply.json(428, csidBody(c));
        }
        Csid p = issue(Csid.Kind.PRODUCTION, csr, String.valueOf(requestIds.incrementAndGet()), config.productionValidity());
        return Reply.json(200, csidBody(p));
    }

    private Csid issue(Csid.Kind kind, CsrCheck csr, String requestId, Duration validity) {
        try {
            X509Certificate cert = ca.issue(csr.request, validity);
            String certB64 = Base64.getEncoder().encodeToString(cert.getEncoded());
            String token = Base64.getEncoder().encodeToString(certB64.getBytes(StandardCharsets.US_ASCII));
            byte[] s = new byte[32];
            random.nextBytes(s);
            Csid c = new Csid(kind, requestId, token, Base64.getEncoder().encodeToString(s), cert, csr.vat,
                    csr.vat + "|" + csr.serial, csr.invoiceType);
            c.csrCheck = csr;
            csidsByToken.put(token, c);
            csidsByRequestId.put(requestId, c);
            LOG.info("issued {} CSID request {} for EGS {} valid until {}", kind, requestId, c.egs, cert.getNotAfter().toInstant());
            return c;
        } catch (java.security.GeneralSecurityException e) {
            throw error(500, "Internal-Error", "could not issue the certificate");
        }
    }

    private static Map<String, Object> csidBody(Csid c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestID", Long.parseLong(c.requestId));
        m.put("dispositionMessage", "ISSUED");
        m.put("binarySecurityToken", c.binarySecurityToken);
        m.put("secret", c.secret);
        m.put("errors", null);
        return m;
    }

    /** A parsed and checked CSR. */
    static final class CsrCheck {
        PKCS10CertificationRequest request;
        String vat;
        String serial;
        String invoiceType;
        String keyId;
    }

    private CsrCheck checkCsr(String csrField) {
        List<String> problems = new ArrayList<>();
        CsrCheck c = new CsrCheck();
        try {
            String pem = new String(Base64.getDecoder().decode(csrField.trim()), StandardCharsets.UTF_8);
            try (org.bouncycastle.openssl.PEMParser p = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(pem))) {
                Object o = p.readObject();
                if (!(o instanceof PKCS10CertificationRequest)) {
                    throw error(400, "Invalid-CSR", "the csr field must be base64 of a PEM certificate request");
                }
                c.request = (PKCS10CertificationRequest) o;
            }
        } catch (IllegalArgumentException | IOException e) {
            throw error(400, "Invalid-CSR", "the csr field must be base64 of a PEM certificate request");
        }
        CsrFields f = CsrFields.of(c.request);
        try {
            if (!c.request.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .setProvider(Crypto.BC).build(c.request.getSubjectPublicKeyInfo()))) {
                problems.add("the CSR signature does not verify");
            }
        } catch (Exception e) {
            problems.add("the CSR signature cannot be verified: " + e.getMessage());
        }
        if (!"1.3.132.0.10".equals(f.curve)) {
            problems.add("the key must be EC secp256k1");
        }
        if (!"SA".equals(f.country)) {
            problems.add("subject C must be SA");
        }
        for (String[] req : new String[][] {{"CN", f.commonName}, {"O", f.organization}, {"OU", f.organizationUnit},
                {"SAN SN (serial number)", f.serial}, {"SAN title (invoice type)", f.invoiceType},
                {"SAN registeredAddress", f.address}, {"SAN businessCategory", f.industry}}) {
            if (req[1] == null || req[1].isBlank()) {
                problems.add(req[0] + " is missing");
            }
        }
        if (f.vat == null || !VAT.matcher(f.vat).matches()) {
            problems.add("SAN UID must be the 15-digit VAT number starting and ending with 3");
        }
        if (f.invoiceType != null && !INVOICE_TYPES.matcher(f.invoiceType).matches()) {
            problems.add("SAN title must be 1000, 0100 or 1100");
        }
        String expectedTemplate = config.environment().templateName();
        if (!expectedTemplate.equals(f.template)) {
            problems.add("certificate template name '" + f.template + "' does not match this environment (" + config.environment().id()
                    + " expects '" + expectedTemplate + "')");
        }
        if (!problems.isEmpty()) {
            throw error(400, "Invalid-CSR", String.join("; ", problems));
        }
        c.vat = f.vat;
        c.serial = f.serial;
        c.invoiceType = f.invoiceType;
        c.keyId = Base64.getEncoder().encodeToString(c.request.getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
        return c;
    }

    // ------------------------------------------------------------------ documents

    enum Endpoint { COMPLIANCE, REPORTING, CLEARANCE }

    private Reply submit(HttpExchange ex, Endpoint endpoint) throws IOException {
        Instant now = clock.now();
        if (endpoint != Endpoint.COMPLIANCE) {
            int injected = faults.injectedStatus(now);
            long latency = faults.settings().latencyMillis();
            if (latency > 0) {
                sleep(latency);
            }
            if (injected != 0) {
                throw error(injected, "Service-Fault", "simulated fault " + injected + "; the document was not received");
            }
        }
        byte[] raw = body(ex);
        Csid csid = authenticate(ex, endpoint == Endpoint.COMPLIANCE ? Csid.Kind.COMPLIANCE : Csid.Kind.PRODUCTION);
        JsonNode req = json(raw);
        String invoiceHash = field(req, "invoiceHash");
        String uuid = field(req, "uuid");
        byte[] xml;
        try {
            xml = Base64.getDecoder().decode(field(req, "invoice"));
        } catch (IllegalArgumentException e) {
            throw error(400, "Invalid-Request", "field 'invoice' must be base64 of the XML document");
        }
        Document doc;
        try {
            doc = SecureXml.parse(xml, config.maxBodyBytes());
        } catch (XmlRejectedException e) {
            return result(endpoint, 400, List.of(message("ERROR", "XSD_SCHEMA_ERROR", "XSD validation", e.getMessage())), null, false);
        }
        InvoiceFacts facts = InvoiceFacts.read(doc);
        String hash = InvoiceHash.of(doc);
        boolean standard = facts.flags() != null && facts.flags().standard();

        if (endpoint == Endpoint.CLEARANCE && !clearanceEnabled) {
            throw new Answer(Reply.json(303, Map.of("message", "Clearance is deactivated. Please use the /invoices/reporting/single endpoint")));
        }
        if (endpoint != Endpoint.COMPLIANCE) {
            DocumentRecords.Accepted dup = records.byHash(hash);
            if (dup != null) {
                return duplicate(endpoint, dup, hash);
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Map<String, Object>> warnings = new ArrayList<>();
        if (!hash.equals(invoiceHash)) {
            errors.add(message("ERROR", "invalid-invoice-hash", "INVOICE_HASHING_ERRORS",
                    "The invoice hash API body does not match the (calculated) Hash of the XML"));
        }
        if (!uuid.equals(facts.uuid())) {
            errors.add(message("ERROR", "invalid-uuid", "INVOICE_ERRORS", "the uuid in the API body does not match cbc:UUID of the XML"));
        }
        if (endpoint == Endpoint.CLEARANCE && !standard) {
            errors.add(message("ERROR", "invalid-invoice-type", "INVOICE_ERRORS", "simplified documents must be reported, not cleared"));
        }
        if (endpoint == Endpoint.REPORTING && standard && clearanceEnabled) {
            errors.add(message("ERROR", "invalid-invoice-type", "INVOICE_ERRORS",
                    "standard documents must be cleared through /invoices/clearance/single while clearance is active"));
        }
        if (standard ? csid.invoiceType.charAt(0) != '1' : csid.invoiceType.charAt(1) != '1') {
            errors.add(message("ERROR", "invalid-invoice-type", "INVOICE_ERRORS",
                    "this EGS is certified for invoice type " + csid.invoiceType + " and may not issue " + (standard ? "standard" : "simplified") + " documents"));
        }
        NodeList certs = doc.getElementsByTagNameNS(Ns.DS, "X509Certificate");
        String docCert = certs.getLength() == 0 ? null : Crypto.withoutWhitespace(certs.item(0).getTextContent());
        String csidCert = new String(Base64.getDecoder().decode(csid.binarySecurityToken), StandardCharsets.US_ASCII);
        if (docCert != null && !docCert.equals(csidCert)) {
            errors.add(message("ERROR", "certificate-mismatch", "SIGNATURE_ERRORS", "the document is not signed with this CSID's certificate"));
        }
        PreflightOptions options = new PreflightOptions(config.strictValidation() ? PreflightOptions.Mode.STRICT : PreflightOptions.Mode.FAST,
                PreflightOptions.Stage.SIGNED, null, null, java.time.LocalDate.ofInstant(now, PreflightOptions.RIYADH));
        ValidationReport report = Preflight.check(doc, xml, options)
                .plus(SignatureVerifier.verify(doc, hash));
        for (Finding f : report.findings()) {
            if (f.severity() == Severity.INFO) {
                continue;
            }
            Map<String, Object> m = message(f.severity() == Severity.ERROR ? "ERROR" : "WARNING", f.code(), category(f.code()), f.message());
            (f.severity() == Severity.ERROR ? errors : warnings).add(m);
        }
        if (endpoint != Endpoint.COMPLIANCE) {
            chainWarnings(csid.egs, facts, hash, warnings);
        }
        if (!errors.isEmpty()) {
            errors.addAll(warnings);
            return result(endpoint, 400, errors, null, standard);
        }
        if (endpoint == Endpoint.COMPLIANCE) {
            csid.passedChecks.add((standard ? "standard-" : "simplified-") + facts.typeCode());
            return result(endpoint, warnings.isEmpty() ? 200 : 202, warnings, standard ? xml : null, standard);
        }
        DocumentRecords.Accepted earlier = records.record(new DocumentRecords.Accepted(csid.egs, facts.icv() == null ? -1 : facts.icv(),
                hash, facts.pih(), facts.uuid(), facts.id(), standard ? "CLEARED" : "REPORTED", !warnings.isEmpty(), now.toString()));
        if (earlier != null) {
            return duplicate(endpoint, earlier, hash);
        }
        if (standard) {
            clearedByHash.put(hash, xml);
        }
        if (faults.dropResponse()) {
            sleep(faults.settings().dropHoldMillis());
            LOG.info("dropping the response for accepted document {} of EGS {} (outcome-unknown drill)", facts.id(), csid.egs);
            throw new Dropped();
        }
        return result(endpoint, warnings.isEmpty() ? 200 : 202, warnings, standard ? xml : null, standard);
    }

    /** ICV must grow and PIH must be the hash of the EGS's previous document: ZATCA warns, it does not reject. */
    private void chainWarnings(String egs, InvoiceFacts facts, String hash, List<Map<String, Object>> warnings) {
        // head = {hash, icv, hash before it, icv before it}; a resubmission of the head is judged against the link before it
        String[] head = chainHead.get(egs);
        long icv = facts.icv() == null ? -1 : facts.icv();
        boolean resubmission = head != null && head[0].equals(hash);
        String prevHash = head == null ? null : resubmission ? head[2] : head[0];
        String prevIcv = head == null ? null : resubmission ? head[3] : head[1];
        String expectedPih = prevHash == null ? InvoiceHash.GENESIS_PIH : prevHash;
        if (facts.pih() != null && !facts.pih().equals(expectedPih)) {
            warnings.add(message("WARNING", "invalid-previous-invoice-hash", "KSA",
                    "PIH does not match the hash of this EGS's previous document"));
        }
        if (prevIcv != null && icv <= Long.parseLong(prevIcv)) {
            warnings.add(message("WARNING", "invalid-invoice-counter", "KSA",
                    "ICV " + icv + " is not greater than this EGS's previous " + prevIcv));
        }
        if (!resubmission) {
            chainHead.put(egs, new String[] {hash, String.valueOf(icv), prevHash, prevIcv});
        }
    }

    private Reply duplicate(Endpoint endpoint, DocumentRecords.Accepted dup, String hash) {
        if (endpoint == Endpoint.CLEARANCE) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("validationResults", validation(List.of(message("WARNING", "Invoice-Errors", "Duplicate-Invoice",
                    "Invoice was already cleared successfully earlier"))));
            m.put("clearanceStatus", "CLEARED");
            byte[] cleared = clearedByHash.get(hash);
            m.put("clearedInvoice", cleared == null ? null : Base64.getEncoder().encodeToString(cleared));
            return Reply.json(208, m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("validationResults", validation(List.of(message("ERROR", "Invoice-Errors", "Duplicate-Invoice",
                "Invoice was already Reported successfully earlier."))));
        m.put("reportingStatus", "NOT_REPORTED");
        return Reply.json(409, m);
    }

    private Reply result(Endpoint endpoint, int status, List<Map<String, Object>> messages, byte[] cleared, boolean standard) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("validationResults", validation(messages));
        boolean ok = status < 300;
        if (endpoint == Endpoint.CLEARANCE || (endpoint == Endpoint.COMPLIANCE && standard)) {
            m.put("clearanceStatus", ok ? "CLEARED" : "NOT_CLEARED");
            m.put("clearedInvoice", ok && cleared != null ? Base64.getEncoder().encodeToString(cleared) : null);
        } else {
            m.put("reportingStatus", ok ? "REPORTED" : "NOT_REPORTED");
        }
        return Reply.json(status, m);
    }

    private static Map<String, Object> validation(List<Map<String, Object>> messages) {
        List<Map<String, Object>> errors = messages.stream().filter(x -> "ERROR".equals(x.get("type"))).toList();
        List<Map<String, Object>> warnings = messages.stream().filter(x -> "WARNING".equals(x.get("type"))).toList();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("infoMessages", errors.isEmpty() ? List.of(message("INFO", "XSD_ZATCA_VALID", "XSD validation",
                "Complied with UBL 2.1 standards in line with ZATCA specifications")) : List.of());
        v.put("warningMessages", warnings);
        v.put("errorMessages", errors);
        v.put("status", !errors.isEmpty() ? "ERROR" : !warnings.isEmpty() ? "WARNING" : "PASS");
        return v;
    }

    private static Map<String, Object> message(String type, String code, String category, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("code", code);
        m.put("category", category);
        m.put("message", text);
        m.put("status", type.equals("INFO") ? "PASS" : type);
        return m;
    }

    private static String category(String code) {
        if (code.startsWith("BR-KSA") || code.startsWith("BR-CL-KSA") || code.startsWith("BR-CUSTOM")) {
            return "KSA";
        }
        if (code.startsWith("BR-") || code.startsWith("UBL-")) {
            return "EN";
        }
        if (code.startsWith("SIG-")) {
            return code.equals("SIG-INVOICE-HASH") ? "INVOICE_HASHING_ERRORS" : "SIGNATURE_ERRORS";
        }
        if (code.startsWith("QR-")) {
            return "QRCODE_ERRORS";
        }
        return code.startsWith("XSD") ? "XSD validation" : "KSA";
    }

    /** Signals that the request was processed but its response must never be written. */
    private static final class Dropped extends RuntimeException {
        Dropped() {
            super(null, null, false, false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ admin

    private Reply admin(HttpExchange ex, String path, String method) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        switch (path) {
            case "/otp": {
                requireMethod(method, "POST");
                String vat = q.get("vat");
                if (vat == null || !VAT.matcher(vat).matches()) {
                    throw error(400, "Invalid-Request", "query parameter vat must be a 15-digit VAT number starting and ending with 3");
                }
                OtpRegistry.Otp otp = otps.issue(vat, q.getOrDefault("environment", config.environment().id()));
                return Reply.json(200, Map.of("otp", otp.code(), "vat", otp.vat(), "environment", otp.environment(),
                        "expiresAt", otp.expiresAt().toString()));
            }
            case "/records": {
                requireMethod(method, "GET");
                return Reply.json(200, Map.of("count", records.size(), "records", records.list(q.get("egs"))));
            }
            case "/faults": {
                if ("PUT".equals(method)) {
                    try {
                        faults.set(JSON.treeToValue(json(body(ex)), Faults.Settings.class));
                    } catch (IllegalArgumentException | IOException | java.time.format.DateTimeParseException e) {
                        throw error(400, "Invalid-Request", "fault settings rejected: " + e.getMessage());
                    }
                }
                return Reply.json(200, faults.settings());
            }
            case "/clock": {
                requireMethod(method, "POST");
                clock.advance(Duration.ofSeconds(Long.parseLong(q.getOrDefault("advanceSeconds", "0"))));
                return Reply.json(200, Map.of("now", clock.now().toString()));
            }
            case "/clearance": {
                requireMethod(method, "POST");
                clearanceEnabled = Boolean.parseBoolean(q.getOrDefault("enabled", "true"));
                return Reply.json(200, Map.of("clearanceEnabled", clearanceEnabled));
            }
            case "/health":
                return Reply.json(200, Map.of("status", "UP", "environment", config.environment().id(), "baseUrl", baseUrl()));
            default:
                throw error(404, "Not-Found", "admin endpoints: /admin/otp, /admin/records, /admin/faults, /admin/clock, /admin/clearance, /admin/health");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }
}
