package io.zatcagateway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.core.csr.CsrGenerator;
import io.zatcagateway.core.csr.EgsProfile;
import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.fatoora.Credentials;
import io.zatcagateway.fatoora.FatooraClient;
import io.zatcagateway.fatoora.FatooraClient.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator over real HTTP: onboarding, OTP rules, every status code, and each fault mode. */
class SimulatorApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger SERIALS = new AtomicInteger();
    static FatooraSimulator sim;
    static FatooraClient client;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        sim = new FatooraSimulator(SimulatorConfig.of("simulator.production-csid-validity", "PT2H")).start();
        client = new FatooraClient(sim.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.faults().set(Faults.Settings.none());
        sim.setClearanceEnabled(true);
    }

    // ------------------------------------------------------------------ helpers

    static String vat(int n) {
        return String.format("3%013d3", 2000 + n); // 11th digit 2: not a VAT group
    }

    static EgsProfile profile(String vat, String type, ZatcaEnvironment env) {
        return new EgsProfile("EGS-" + vat, "1-ZatcaGateway|2-0.1|3-unit-" + SERIALS.incrementAndGet(), vat, "Riyadh Branch",
                "Seller " + vat, type, "King Fahd Road, Riyadh", "Retail", env);
    }

    static String otp(String vat) throws Exception {
        return adminJson("POST", "/otp?vat=" + vat, null).get("otp").asText();
    }

    static JsonNode adminJson(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.adminUrl() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** An onboarded EGS: its key, PCSID credentials and documents of its seller. */
    record Egs(String vat, Credentials pcsid, SigningIdentity identity, SampleDocuments samples, long[] icv, String[] pih) {
        SignedInvoice next(DocumentType type, boolean simplified) throws Exception {
            String id = "D-" + (icv[0] + 1);
            SignedInvoice s = new InvoiceSigner(identity).sign(samples.document(type, simplified, id, "D-1").getBytes(StandardCharsets.UTF_8),
                    ++icv[0], pih[0], Instant.now());
            pih[0] = s.invoiceHash();
            return s;
        }
    }

    static Answer complianceCheck(Credentials ccsid, SigningIdentity id, SampleDocuments samples, DocumentType t, boolean simplified) throws Exception {
        SignedInvoice s = new InvoiceSigner(id).sign(samples.document(t, simplified, "C-" + t.code(), "C-388").getBytes(StandardCharsets.UTF_8),
                1, InvoiceHash.GENESIS_PIH, Instant.now());
        return client.complianceCheck(ccsid, s.invoiceHash(), s.uuid(), s.xml());
    }

    static Egs onboard(String vat, String type) throws Exception {
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(vat, type, ZatcaEnvironment.DEVELOPER_PORTAL));
        Answer cc = client.complianceCsid(otp(vat), csr.apiValue());
        assertEquals(200, cc.status(), cc.body().toString());
        assertEquals("ISSUED", cc.text("dispositionMessage"));
        Credentials ccsid = cc.credentials();
        SigningIdentity ccId = new SigningIdentity(csr.keyPair().getPrivate(), ccsid.certificate());
        SampleDocuments samples = new SampleDocuments(vat, "Seller " + vat);
        for (boolean simplified : new boolean[] {false, true}) {
            if (simplified ? type.charAt(1) != '1' : type.charAt(0) != '1') {
                continue;
            }
            for (DocumentType t : new DocumentType[] {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE}) {
                Answer a = complianceCheck(ccsid, ccId, samples, t, simplified);
                assertEquals(200, a.status(), a.body().toString());
                assertEquals(simplified ? "REPORTED" : "CLEARED", a.text(simplified ? "reportingStatus" : "clearanceStatus"));
            }
        }
        Answer p = client.productionCsid(ccsid, cc.text("requestID"));
        assertEquals(200, p.status(), p.body().toString());
        Credentials pcsid = p.credentials();
        return new Egs(vat, pcsid, new SigningIdentity(csr.keyPair().getPrivate(), pcsid.certificate()), samples,
                new long[] {0}, new String[] {InvoiceHash.GENESIS_PIH});
    }

    static void assertInvalidOtp(Answer a) {
        assertEquals(400, a.status());
        assertEquals("{\"errors\":[{\"code\":\"Invalid-OTP\",\"message\":\"The provided OTP is invalid\"}]}", a.body().toString());
    }

    static String errorCodes(Answer a) {
        StringBuilder b = new StringBuilder();
        a.body().path("validationResults").path("errorMessages").forEach(m -> b.append(m.get("code").asText()).append(' '));
        a.body().path("validationResults").path("warningMessages").forEach(m -> b.append(m.get("code").asText()).append(' '));
        a.body().path("errors").forEach(m -> b.append(m.get("code").asText()).append(' '));
        return b.toString();
    }

    // ------------------------------------------------------------------ onboarding and OTPs

    @Test
    void fullOnboardingThenReportingAndClearance() throws Exception {
        Egs egs = onboard(vat(1), "1100");
        SignedInvoice simplified = egs.next(DocumentType.INVOICE, true);
        Answer r = client.report(egs.pcsid(), simplified.invoiceHash(), simplified.uuid(), simplified.xml());
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("REPORTED", r.text("reportingStatus"));
        assertEquals("PASS", r.body().path("validationResults").path("status").asText());

        SignedInvoice standard = egs.next(DocumentType.INVOICE, false);
        Answer c = client.clear(egs.pcsid(), standard.invoiceHash(), standard.uuid(), standard.xml());
        assertEquals(200, c.status(), c.body().toString());
        assertEquals("CLEARED", c.text("clearanceStatus"));
        byte[] cleared = Base64.getDecoder().decode(c.text("clearedInvoice"));
        assertTrue(SignatureVerifier.verify(SecureXml.parse(cleared)).findings().isEmpty());
        assertEquals(standard.invoiceHash(), InvoiceHash.of(SecureXml.parse(cleared)));

        JsonNode all = adminJson("GET", "/records", null);
        String egsKey = null;
        for (JsonNode rec : all.get("records")) {
            if (rec.get("invoiceHash").asText().equals(simplified.invoiceHash())) {
                egsKey = rec.get("egs").asText();
                assertEquals(1, rec.get("icv").asInt());
                assertEquals("REPORTED", rec.get("status").asText());
            }
        }
        assertNotNull(egsKey, "the reported document is in the records");
        JsonNode mine = adminJson("GET", "/records?egs=" + java.net.URLEncoder.encode(egsKey, StandardCharsets.UTF_8), null);
        assertEquals(2, mine.get("records").size());
        assertEquals("CLEARED", mine.get("records").get(1).get("status").asText());
        assertEquals(2, mine.get("records").get(1).get("icv").asInt());
    }

    @Test
    void wrongExpiredReusedAndOtherEnvironmentOtpsAreInvalid() throws Exception {
        String vat = vat(2);
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(vat, "0100", ZatcaEnvironment.DEVELOPER_PORTAL));
        String good = otp(vat);
        String wrong = good.equals("000000") ? "000001" : "000000";
        assertInvalidOtp(client.complianceCsid(wrong, csr.apiValue()));
        assertInvalidOtp(client.complianceCsid("12345", csr.apiValue()));
        // other environment: an OTP from the simulation portal is not valid on the developer portal
        String otherEnv = adminJson("POST", "/otp?vat=" + vat + "&environment=simulation", null).get("otp").asText();
        assertInvalidOtp(client.complianceCsid(otherEnv, csr.apiValue()));
        // another taxpayer's OTP
        assertInvalidOtp(client.complianceCsid(otp(vat(99)), csr.apiValue()));
        // expired: 61 minutes later
        String expiring = otp(vat);
        sim.clock().advance(Duration.ofMinutes(61));
        assertInvalidOtp(client.complianceCsid(expiring, csr.apiValue()));
        // the good OTP was issued before the clock moved too, so take a fresh one; it works once, then is spent
        String fresh = otp(vat);
        assertEquals(200, client.complianceCsid(fresh, csr.apiValue()).status());
        CsrGenerator.Csr second = CsrGenerator.generate(profile(vat, "0100", ZatcaEnvironment.DEVELOPER_PORTAL));
        assertInvalidOtp(client.complianceCsid(fresh, second.apiValue()));
    }

    @Test
    void csrWithTheWrongTemplateOrReusedIsRefused() throws Exception {
        String vat = vat(3);
        CsrGenerator.Csr sim = CsrGenerator.generate(profile(vat, "1000", ZatcaEnvironment.SIMULATION));
        Answer a = client.complianceCsid(otp(vat), sim.apiValue());
        assertEquals(400, a.status());
        assertEquals("Invalid-CSR", a.body().path("errors").get(0).get("code").asText());
        assertTrue(a.body().path("errors").get(0).get("message").asText().contains("PREZATCA-Code-Signing"), a.body().toString());

        CsrGenerator.Csr ok = CsrGenerator.generate(profile(vat, "1000", ZatcaEnvironment.DEVELOPER_PORTAL));
        assertEquals(200, client.complianceCsid(otp(vat), ok.apiValue()).status());
        Answer again = client.complianceCsid(otp(vat), ok.apiValue());
        assertEquals(400, again.status());
        assertTrue(again.body().toString().contains("already used"), again.body().toString());

        Answer garbage = client.complianceCsid(otp(vat), Base64.getEncoder().encodeToString("not a csr".getBytes()));
        assertEquals(400, garbage.status());
        assertEquals("Invalid-CSR", garbage.body().path("errors").get(0).get("code").asText());
    }

    @Test
    void productionCsidNeedsEveryComplianceCheckOfTheDeclaredKinds() throws Exception {
        String vat = vat(4);
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(vat, "1000", ZatcaEnvironment.DEVELOPER_PORTAL));
        Answer cc = client.complianceCsid(otp(vat), csr.apiValue());
        Credentials ccsid = cc.credentials();
        SigningIdentity id = new SigningIdentity(csr.keyPair().getPrivate(), ccsid.certificate());
        SampleDocuments samples = new SampleDocuments(vat, "Seller");
        assertEquals(200, complianceCheck(ccsid, id, samples, DocumentType.INVOICE, false).status());
        Answer early = client.productionCsid(ccsid, cc.text("requestID"));
        assertEquals(400, early.status());
        assertTrue(early.body().toString().contains("standard-381") && early.body().toString().contains("standard-383"), early.body().toString());
        assertEquals(200, complianceCheck(ccsid, id, samples, DocumentType.CREDIT_NOTE, false).status());
        assertEquals(200, complianceCheck(ccsid, id, samples, DocumentType.DEBIT_NOTE, false).status());
        assertEquals(400, client.productionCsid(ccsid, "42").status());
        assertEquals(200, client.productionCsid(ccsid, cc.text("requestID")).status());
        // a compliance check that fails is answered like ZATCA: 400 with the rule codes
        Answer bad = client.complianceCheck(ccsid, "x", "y", "<Invoice/>".getBytes());
        assertEquals(400, bad.status());
    }

    @Test
    void renewalIssuesANewProductionCsid() throws Exception {
        Egs egs = onboard(vat(5), "0100");
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(egs.vat(), "0100", ZatcaEnvironment.DEVELOPER_PORTAL));
        assertInvalidOtp(client.renewProductionCsid(egs.pcsid(), "999999", csr.apiValue()));
        Answer renewed = client.renewProductionCsid(egs.pcsid(), otp(egs.vat()), csr.apiValue());
        assertEquals(200, renewed.status(), renewed.body().toString());
        Credentials next = renewed.credentials();
        SigningIdentity id = new SigningIdentity(csr.keyPair().getPrivate(), next.certificate());
        SignedInvoice s = new InvoiceSigner(id).sign(egs.samples().document(DocumentType.INVOICE, true, "RN-1", null).getBytes(StandardCharsets.UTF_8),
                1, InvoiceHash.GENESIS_PIH, Instant.now());
        assertEquals(200, client.report(next, s.invoiceHash(), s.uuid(), s.xml()).status());
    }

    @Test
    void renewalCanDemandTheComplianceChecksAgainWith428() throws Exception {
        withSimulator(SimulatorConfig.of("simulator.renewal-requires-compliance", "true"), () -> {
                Egs egs = onboard(vat(16), "0100");
                CsrGenerator.Csr csr = CsrGenerator.generate(profile(egs.vat(), "0100", ZatcaEnvironment.DEVELOPER_PORTAL));
                Answer renewed = client.renewProductionCsid(egs.pcsid(), otp(egs.vat()), csr.apiValue());
                assertEquals(428, renewed.status(), renewed.body().toString());
                Credentials ccsid = renewed.credentials();
                assertNotNull(ccsid.binarySecurityToken());
                SigningIdentity id = new SigningIdentity(csr.keyPair().getPrivate(), ccsid.certificate());
                assertEquals(400, client.productionCsid(ccsid, renewed.text("requestID")).status(), "checks first");
                for (DocumentType t : new DocumentType[] {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE}) {
                    assertEquals(200, complianceCheck(ccsid, id, egs.samples(), t, true).status());
                }
                assertEquals(200, client.productionCsid(ccsid, renewed.text("requestID")).status());
        });
    }

    // ------------------------------------------------------------------ reporting and clearance answers

    @Test
    void duplicatesAre409ForReportingAnd208ForClearance() throws Exception {
        Egs egs = onboard(vat(6), "1100");
        SignedInvoice s = egs.next(DocumentType.INVOICE, true);
        assertEquals(200, client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()).status());
        Answer dup = client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml());
        assertEquals(409, dup.status());
        assertTrue(errorCodes(dup).contains("Invoice-Errors"));

        SignedInvoice b2b = egs.next(DocumentType.INVOICE, false);
        Answer first = client.clear(egs.pcsid(), b2b.invoiceHash(), b2b.uuid(), b2b.xml());
        assertEquals(200, first.status());
        Answer again = client.clear(egs.pcsid(), b2b.invoiceHash(), b2b.uuid(), b2b.xml());
        assertEquals(208, again.status());
        assertEquals(first.text("clearedInvoice"), again.text("clearedInvoice"));
    }

    @Test
    void clearanceSwitchedOffAnswers303AndReportingTakesStandardDocuments() throws Exception {
        Egs egs = onboard(vat(7), "1000");
        SignedInvoice s = egs.next(DocumentType.INVOICE, false);
        Answer onReporting = client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml());
        assertEquals(400, onReporting.status(), "standard documents are cleared while clearance is active");
        adminJson("POST", "/clearance?enabled=false", null);
        Answer a = client.clear(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml());
        assertEquals(303, a.status());
        assertTrue(a.body().toString().contains("/invoices/reporting/single"));
        assertEquals(200, client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()).status());
    }

    @Test
    void hashMismatchBadSignatureAndRuleErrorsAre400WithCodes() throws Exception {
        Egs egs = onboard(vat(8), "0100");
        SignedInvoice s = egs.next(DocumentType.INVOICE, true);
        Answer wrongHash = client.report(egs.pcsid(), InvoiceHash.GENESIS_PIH, s.uuid(), s.xml());
        assertEquals(400, wrongHash.status());
        assertTrue(errorCodes(wrongHash).contains("invalid-invoice-hash"), wrongHash.body().toString());
        assertEquals("NOT_REPORTED", wrongHash.text("reportingStatus"));

        String tampered = new String(s.xml(), StandardCharsets.UTF_8).replace("Pencil box", "Pencil boy");
        byte[] t = tampered.getBytes(StandardCharsets.UTF_8);
        Answer badSig = client.report(egs.pcsid(), InvoiceHash.of(SecureXml.parse(t)), s.uuid(), t);
        assertEquals(400, badSig.status());
        assertTrue(errorCodes(badSig).contains("SIG-INVOICE-HASH"), badSig.body().toString());

        String noReason = egs.samples().document(DocumentType.CREDIT_NOTE, true, "CN-1", "D-1").replaceAll("<cbc:InstructionNote>[^<]*</cbc:InstructionNote>", "");
        SignedInvoice cn = new InvoiceSigner(egs.identity()).sign(noReason.getBytes(StandardCharsets.UTF_8), ++egs.icv()[0], egs.pih()[0], Instant.now());
        egs.pih()[0] = cn.invoiceHash();
        Answer rule = client.report(egs.pcsid(), cn.invoiceHash(), cn.uuid(), cn.xml());
        assertEquals(400, rule.status());
        assertTrue(errorCodes(rule).contains("BR-KSA-17"), rule.body().toString());
        JsonNode msg = rule.body().path("validationResults").path("errorMessages").get(0);
        assertEquals("ERROR", msg.get("type").asText());
        assertNotNull(msg.get("category"));
    }

    @Test
    void warningsAre202AndAChainMismatchIsAWarning() throws Exception {
        Egs egs = onboard(vat(9), "0100");
        String noDistrict = egs.samples().document(DocumentType.INVOICE, true, "W-1", null).replace("<cbc:CitySubdivisionName>Al Olaya</cbc:CitySubdivisionName>", "");
        SignedInvoice w = new InvoiceSigner(egs.identity()).sign(noDistrict.getBytes(StandardCharsets.UTF_8), ++egs.icv()[0], egs.pih()[0], Instant.now());
        egs.pih()[0] = w.invoiceHash();
        Answer a = client.report(egs.pcsid(), w.invoiceHash(), w.uuid(), w.xml());
        assertEquals(202, a.status(), a.body().toString());
        assertEquals("REPORTED", a.text("reportingStatus"));
        assertTrue(errorCodes(a).contains("BR-KSA-09"));

        egs.pih()[0] = InvoiceHash.GENESIS_PIH; // break the chain on purpose
        SignedInvoice broken = egs.next(DocumentType.INVOICE, true);
        Answer b = client.report(egs.pcsid(), broken.invoiceHash(), broken.uuid(), broken.xml());
        assertEquals(202, b.status(), b.body().toString());
        assertTrue(errorCodes(b).contains("invalid-previous-invoice-hash"), b.body().toString());
    }

    @Test
    void credentialsAreChecked() throws Exception {
        Egs egs = onboard(vat(10), "0100");
        SignedInvoice s = egs.next(DocumentType.INVOICE, true);
        assertEquals(401, client.report(new Credentials(egs.pcsid().binarySecurityToken(), "wrong"), s.invoiceHash(), s.uuid(), s.xml()).status());
        assertEquals(401, client.report(new Credentials("bm9wZQ==", "x"), s.invoiceHash(), s.uuid(), s.xml()).status());
        // a compliance CSID is refused for live reporting
        String vat = vat(11);
        CsrGenerator.Csr csr = CsrGenerator.generate(profile(vat, "0100", ZatcaEnvironment.DEVELOPER_PORTAL));
        Credentials ccsid = client.complianceCsid(otp(vat), csr.apiValue()).credentials();
        Answer a = client.report(ccsid, s.invoiceHash(), s.uuid(), s.xml());
        assertEquals(401, a.status());
        assertTrue(a.body().toString().contains("compliance CSID"), a.body().toString());
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} against a second simulator with other settings (the helpers use {@code sim} and {@code client}). */
    static void withSimulator(SimulatorConfig config, Body body) throws Exception {
        FatooraSimulator saved = sim;
        FatooraClient savedClient = client;
        try (FatooraSimulator other = new FatooraSimulator(config).start()) {
            sim = other;
            client = new FatooraClient(other.baseUrl(), Duration.ofSeconds(5));
            body.run();
        } finally {
            sim = saved;
            client = savedClient;
        }
    }

    @Test
    void anExpiredProductionCsidGets401() throws Exception {
        withSimulator(SimulatorConfig.of("simulator.production-csid-validity", "PT5M"), () -> {
            Egs egs = onboard(vat(12), "0100");
            SignedInvoice s = egs.next(DocumentType.INVOICE, true);
            sim.clock().advance(Duration.ofMinutes(6));
            Answer a = client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml());
            assertEquals(401, a.status());
            assertTrue(a.body().toString().contains("expired"), a.body().toString());
        });
    }

    @Test
    void oversizeBodiesGet413AndMalformedRequests400And406() throws Exception {
        Egs egs = onboard(vat(13), "0100");
        byte[] big = new byte[6 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        Answer a = client.report(egs.pcsid(), "h", "u", big);
        assertEquals(413, a.status());

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/invoices/reporting/single"))
                .header("Accept-Version", "V2").header("Authorization", egs.pcsid().authorization())
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
        HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/invoices/reporting/single"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(406, noVersion.statusCode());
        Answer missing = client.report(egs.pcsid(), "h", "u", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>".getBytes());
        assertEquals(400, missing.status());
    }

    // ------------------------------------------------------------------ faults

    @Test
    void injectedStatusesLatencyAndOutage() throws Exception {
        Egs egs = onboard(vat(14), "0100");
        SignedInvoice s = egs.next(DocumentType.INVOICE, true);
        for (int code : new int[] {429, 500, 503, 504}) {
            sim.faults().set(new Faults.Settings(code == 429 ? 1 : 0, code == 500 ? 1 : 0, code == 503 ? 1 : 0, code == 504 ? 1 : 0, 0, 0, 0, null));
            assertEquals(code, client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()).status());
        }
        assertEquals(0, sim.records().list(null).stream().filter(r -> r.invoiceHash().equals(s.invoiceHash())).count(),
                "a faulted request is not received");
        adminJson("PUT", "/faults", "{\"rate429\":0,\"rate500\":0,\"rate503\":0,\"rate504\":0,\"latencyMillis\":300,\"dropResponseRate\":0,"
                + "\"dropHoldMillis\":0,\"outageUntil\":null}");
        long t0 = System.nanoTime();
        assertEquals(200, client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()).status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 300);

        sim.faults().set(new Faults.Settings(0, 0, 0, 0, 0, 0, 0, sim.clock().now().plusSeconds(60).toString()));
        SignedInvoice during = egs.next(DocumentType.INVOICE, true);
        assertEquals(503, client.report(egs.pcsid(), during.invoiceHash(), during.uuid(), during.xml()).status());
        sim.faults().set(new Faults.Settings(0, 0, 0, 0, 0, 0, 0, sim.clock().now().minusSeconds(1).toString()));
        assertEquals(200, client.report(egs.pcsid(), during.invoiceHash(), during.uuid(), during.xml()).status());
    }

    @Test
    void droppedResponseLeavesTheOutcomeUnknownButTheDocumentWasReceived() throws Exception {
        Egs egs = onboard(vat(15), "0100");
        SignedInvoice s = egs.next(DocumentType.INVOICE, true);
        sim.faults().set(new Faults.Settings(0, 0, 0, 0, 0, 1.0, 100, null));
        assertThrows(IOException.class, () -> client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()));
        sim.faults().set(Faults.Settings.none());
        assertEquals(1, sim.records().list(null).stream().filter(r -> r.invoiceHash().equals(s.invoiceHash())).count());
        // resending the same bytes tells the sender that the first attempt landed
        assertEquals(409, client.report(egs.pcsid(), s.invoiceHash(), s.uuid(), s.xml()).status());
    }

    @Test
    void badFaultSettingsAreRefused() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.adminUrl() + "/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rate429\":0.8,\"rate500\":0.8}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertFalse(r.body().isBlank());
    }
}
