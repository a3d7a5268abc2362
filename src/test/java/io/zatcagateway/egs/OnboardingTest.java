package io.zatcagateway.egs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.fatoora.Credentials;
import io.zatcagateway.fatoora.FatooraClient;
import io.zatcagateway.fatoora.FatooraClient.Answer;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Onboarding, renewal and the signer registry against the simulator over HTTP. */
class OnboardingTest {
    static final char[] PASSWORD = "test-vault-password".toCharArray();
    static final AtomicInteger NEXT = new AtomicInteger();
    static FatooraSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        sim = new FatooraSimulator(SimulatorConfig.defaults()).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    // ---------------------------------------------------------------- helpers

    static String newVat() {
        return String.format("3%013d3", 3000 + NEXT.incrementAndGet()); // 11th digit 3: not a VAT group
    }

    EgsConfig egs(String id, String vat, String kinds, String environment, String baseUrl) throws Exception {
        Path f = dir.resolve("egs").resolve(id + ".properties");
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.join("\n",
                "environment = " + environment, "base-url = " + baseUrl, "vat = " + vat, "seller-id = 1010010000",
                "seller-name = Seller " + vat, "branch = Riyadh Branch", "street = King Fahd Road", "building-number = 2322",
                "district = Al Olaya", "city = Riyadh", "postal-zone = 12211", "industry = Retail", "document-kinds = " + kinds,
                "solution-name = ZatcaGateway", "solution-version = 0.1", "device-serial = dev-" + id, ""));
        return EgsConfig.load(f, null);
    }

    EgsConfig egs(String kinds) throws Exception {
        return egs("egs-" + NEXT.incrementAndGet(), newVat(), kinds, "simulator", sim.baseUrl());
    }

    KeyVault vault() {
        return new KeyVault(dir.resolve("vault"), PASSWORD);
    }

    static String otp(FatooraSimulator s, String vat, String environment) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.adminUrl() + "/otp?vat=" + vat
                + (environment == null ? "" : "&environment=" + environment))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().replaceAll(".*\"otp\":\"([0-9]{6})\".*", "$1");
    }

    record Run(Onboarding.Result result, String output) {
    }

    Run onboard(EgsConfig egs, Supplier<String> otp) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Onboarding.Result r = new Onboarding(egs, vault(), new FatooraClient(egs.baseUrl(), Duration.ofSeconds(10)),
                new PrintStream(out, true, StandardCharsets.UTF_8)).onboard(otp);
        return new Run(r, out.toString(StandardCharsets.UTF_8));
    }

    Run renew(EgsConfig egs, Supplier<String> otp) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Onboarding.Result r = new Onboarding(egs, vault(), new FatooraClient(egs.baseUrl(), Duration.ofSeconds(10)),
                new PrintStream(out, true, StandardCharsets.UTF_8)).renew(otp);
        return new Run(r, out.toString(StandardCharsets.UTF_8));
    }

    static Supplier<String> never() {
        return () -> {
            throw new AssertionError("no OTP may be asked for at this step");
        };
    }

    EgsSecrets secrets(EgsConfig egs) throws Exception {
        return vault().read(egs.environment().id(), egs.id());
    }

    Answer submit(EgsConfig egs, EgsSigners signers, SignedInvoice d, boolean simplified) throws Exception {
        FatooraClient c = new FatooraClient(egs.baseUrl(), Duration.ofSeconds(10));
        Credentials pcsid = signers.credentials(egs.id());
        return simplified ? c.report(pcsid, d.invoiceHash(), d.uuid(), d.xml()) : c.clear(pcsid, d.invoiceHash(), d.uuid(), d.xml());
    }

    // ---------------------------------------------------------------- full onboarding per kind

    @Test
    void onboardsAnEgsOfEachKindAndItCanSubmitWhatItDeclared() throws Exception {
        for (String[] kind : new String[][] {{"standard", "6"}, {"simplified", "6"}, {"both", "12"}}) {
            EgsConfig egs = egs(kind[0]);
            Run r = onboard(egs, () -> {
                try {
                    return otp(sim, egs.vat(), null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(r.result().ok(), r.output());
            EgsSecrets s = secrets(egs);
            assertEquals(EgsSecrets.Step.ONBOARDED, s.step);
            assertEquals(Integer.parseInt(kind[1]), s.passedScenarios.size(), s.passedScenarios.toString());
            assertTrue(r.output().contains("compliance check " + kind[1] + "/" + kind[1] + " passed"), r.output());

            EgsSigners signers = new EgsSigners(vault(), Map.of(egs.id(), egs));
            boolean simplified = !egs.standard();
            SignedInvoice d = signers.signerFor(egs.id(), Instant.now()).sign(new SampleDocuments(egs.vat(), egs.sellerName())
                    .document(DocumentType.INVOICE, simplified, "LIVE-1", null).getBytes(StandardCharsets.UTF_8), 1, InvoiceHash.GENESIS_PIH, Instant.now());
            assertEquals(200, submit(egs, signers, d, simplified).status());
            assertTrue(onboard(egs, never()).result().ok(), "a second run of a finished onboarding is a no-op");
        }
    }

    // ---------------------------------------------------------------- failure paths that a second run finishes

    @Test
    void wrongOtpPrintsASupportReportAndASecondRunFinishes() throws Exception {
        EgsConfig egs = egs("simplified");
        Run bad = onboard(egs, () -> "864209");
        assertFalse(bad.result().ok());
        assertTrue(bad.result().message().contains("Invalid-OTP"), bad.result().message());
        assertTrue(bad.result().nextAction().contains("new OTP") && bad.result().nextAction().contains("60 minutes"), bad.result().nextAction());
        assertTrue(bad.output().contains("support report") && bad.output().contains("certificate template: TSTZATCA-Code-Signing"), bad.output());
        assertTrue(bad.output().contains("CSR subject:") && bad.output().contains("UID=" + egs.vat()), bad.output());
        assertFalse(bad.output().contains("864209"), "the OTP is never printed\n" + bad.output());
        EgsSecrets s = secrets(egs);
        assertFalse(bad.output().contains(s.privateKey), "the key is never printed");
        assertEquals(EgsSecrets.Step.CSR_READY, s.step);
        String csr = s.csr;

        Run good = onboard(egs, () -> otpFor(egs));
        assertTrue(good.result().ok(), good.output());
        assertEquals(csr, secrets(egs).csr, "a CSR that ZATCA did not refuse is kept");
    }

    String otpFor(EgsConfig egs) {
        try {
            return otp(sim, egs.vat(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void expiredReusedAndOtherEnvironmentOtpsFailAndLeaveAResumableState() throws Exception {
        EgsConfig egs = egs("standard");
        String expiring = otpFor(egs);
        sim.clock().advance(Duration.ofMinutes(61));
        try {
            Run expired = onboard(egs, () -> expiring);
            assertFalse(expired.result().ok());
            assertTrue(expired.result().message().contains("Invalid-OTP"));
        } finally {
            sim.clock().advance(Duration.ofMinutes(-61));
        }
        String otherEnv = otp(sim, egs.vat(), "simulation");
        assertFalse(onboard(egs, () -> otherEnv).result().ok());

        EgsConfig first = egs("standard");
        String once = otpFor(first);
        assertTrue(onboard(first, () -> once).result().ok());
        EgsConfig sameVat = egs("egs-reuse-" + NEXT.incrementAndGet(), first.vat(), "standard", "simulator", sim.baseUrl());
        Run reused = onboard(sameVat, () -> once);
        assertFalse(reused.result().ok());
        assertTrue(reused.result().message().contains("Invalid-OTP"));

        assertEquals(EgsSecrets.Step.CSR_READY, secrets(egs).step);
        assertTrue(onboard(egs, () -> otpFor(egs)).result().ok());
    }

    @Test
    void csrWithTheWrongTemplateIsRefusedAndTheNextRunMakesANewOne() throws Exception {
        try (FatooraSimulator simulation = new FatooraSimulator(SimulatorConfig.of("simulator.environment", "simulation")).start()) {
            String vat = newVat();
            String id = "egs-tpl-" + NEXT.incrementAndGet();
            EgsConfig wrong = egs(id, vat, "simplified", "simulator", simulation.baseUrl());
            Run r = onboard(wrong, () -> {
                try {
                    return otp(simulation, vat, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(r.result().ok());
            assertTrue(r.result().message().contains("Invalid-CSR") && r.result().message().contains("PREZATCA-Code-Signing"), r.result().message());
            assertTrue(r.result().nextAction().contains("new key and CSR"), r.result().nextAction());
            EgsSecrets s = secrets(wrong);
            assertEquals(EgsSecrets.Step.NEW, s.step);
            assertEquals(1, s.rejectedCsrs.size());
            String refused = s.csr;

            EgsConfig fixed = egs(id, vat, "simplified", "simulator", sim.baseUrl());
            Run again = onboard(fixed, () -> otpFor(fixed));
            assertTrue(again.result().ok(), again.output());
            assertNotEquals(refused, secrets(fixed).csr, "a refused CSR is never sent again");
        }
    }

    @Test
    void otpDiagnosticsStopAMisconfiguredEgsBeforeTheOtpIsSpent() throws Exception {
        EgsConfig egs = egs("egs-diag-" + NEXT.incrementAndGet(), newVat(), "simplified", "simulation", sim.baseUrl());
        AtomicBoolean asked = new AtomicBoolean();
        Run r = onboard(egs, () -> {
            asked.set(true);
            return "123456";
        });
        assertFalse(r.result().ok());
        assertTrue(r.result().step().contains("nothing was sent"), r.result().step());
        assertTrue(r.result().message().contains("is not the simulation environment's (https://gw-fatoora.zatca.gov.sa/e-invoicing/simulation)"),
                r.result().message());
        assertFalse(asked.get(), "the OTP is not asked for (nor spent) when the setup is wrong");
    }

    @Test
    void aFailingComplianceCheckSaysWhichAndTheNextRunRetriesOnlyTheRest() throws Exception {
        EgsConfig egs = egs("both");
        sim.clock().advance(Duration.ofDays(-2)); // the simulated ZATCA is two days behind: today's documents are "in the future"
        Run failed;
        try {
            failed = onboard(egs, () -> otpFor(egs));
        } finally {
            sim.clock().advance(Duration.ofDays(2));
        }
        assertFalse(failed.result().ok());
        assertTrue(failed.result().step().startsWith("compliance check 1/12 (standard invoice)"), failed.result().step());
        assertTrue(failed.result().message().contains("BR-KSA-04"), failed.result().message());
        assertEquals(EgsSecrets.Step.COMPLIANCE_CSID, secrets(egs).step);

        Run resumed = onboard(egs, never());
        assertTrue(resumed.result().ok(), resumed.output());
        assertFalse(resumed.output().contains("[1]") || resumed.output().contains("[2]"), "no new CSR, no new compliance CSID");
    }

    // ---------------------------------------------------------------- renewal, expiry, the vault

    @Test
    void renewalSwapsTheCertificateBetweenTwoDocumentsWithTheChainIntact() throws Exception {
        EgsConfig egs = egs("simplified");
        assertTrue(onboard(egs, () -> otpFor(egs)).result().ok());
        EgsSigners signers = new EgsSigners(vault(), Map.of(egs.id(), egs));
        SampleDocuments samples = new SampleDocuments(egs.vat(), egs.sellerName());

        InvoiceSigner before = signers.signerFor(egs.id(), Instant.now());
        SignedInvoice d1 = before.sign(samples.document(DocumentType.INVOICE, true, "RN-1", null).getBytes(StandardCharsets.UTF_8), 1,
                InvoiceHash.GENESIS_PIH, Instant.now());
        assertEquals(200, submit(egs, signers, d1, true).status());

        Run renewed = renew(egs, () -> otpFor(egs));
        assertTrue(renewed.result().ok(), renewed.output());
        assertEquals(1, secrets(egs).retired.size());

        InvoiceSigner after = signers.signerFor(egs.id(), Instant.now());
        assertNotEquals(before.identity().serialNumber(), after.identity().serialNumber());
        SignedInvoice d2 = after.sign(samples.document(DocumentType.INVOICE, true, "RN-2", null).getBytes(StandardCharsets.UTF_8), 2,
                d1.invoiceHash(), Instant.now());
        Answer a = submit(egs, signers, d2, true);
        assertEquals(200, a.status(), a.body().toString());
        assertEquals("PASS", a.body().path("validationResults").path("status").asText(), "no chain warning across the renewal");
        assertTrue(SignatureVerifier.verify(SecureXml.parse(d1.xml())).findings().isEmpty());
        assertTrue(SignatureVerifier.verify(SecureXml.parse(d2.xml())).findings().isEmpty());
    }

    @Test
    void renewalThatDemandsComplianceChecksAgainFinishes() throws Exception {
        try (FatooraSimulator strict = new FatooraSimulator(SimulatorConfig.of("simulator.renewal-requires-compliance", "true")).start()) {
            String vat = newVat();
            EgsConfig egs = egs("egs-428-" + NEXT.incrementAndGet(), vat, "standard", "simulator", strict.baseUrl());
            Supplier<String> otp = () -> {
                try {
                    return otp(strict, vat, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertTrue(onboard(egs, otp).result().ok());
            Run r = renew(egs, otp);
            assertTrue(r.result().ok(), r.output());
            assertTrue(r.output().contains("asks for the compliance checks again") && r.output().contains("compliance check 6/6 passed"), r.output());
        }
    }

    @Test
    void anExpiredCertificateStopsThatEgsOnlyAndSaysWhy() throws Exception {
        try (FatooraSimulator shortLived = new FatooraSimulator(SimulatorConfig.of("simulator.production-csid-validity", "PT10M")).start()) {
            String vat = newVat();
            EgsConfig expiring = egs("egs-exp-" + NEXT.incrementAndGet(), vat, "simplified", "simulator", shortLived.baseUrl());
            assertTrue(onboard(expiring, () -> {
                try {
                    return otp(shortLived, vat, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).result().ok());
            EgsConfig healthy = egs("simplified");
            assertTrue(onboard(healthy, () -> otpFor(healthy)).result().ok());
            EgsSigners signers = new EgsSigners(vault(), Map.of(expiring.id(), expiring, healthy.id(), healthy));
            Instant later = Instant.now().plus(Duration.ofMinutes(20));
            EgsUnavailableException e = assertThrows(EgsUnavailableException.class, () -> signers.signerFor(expiring.id(), later));
            assertTrue(e.getMessage().contains("expired") && e.getMessage().contains("renew " + expiring.id()), e.getMessage());
            assertNotNull(signers.signerFor(healthy.id(), later));
        }
    }

    @Test
    void theCertificateWatchRaisesEachAlertOnceAndRemembersIt() throws Exception {
        EgsConfig egs = egs("simplified");
        assertTrue(onboard(egs, () -> otpFor(egs)).result().ok());
        CertificateWatch watch = new CertificateWatch(vault(), Map.of(egs.id(), egs));
        java.security.cert.X509Certificate cert = new Credentials(secrets(egs).productionToken, secrets(egs).productionSecret).certificate();
        Instant expiry = cert.getNotAfter().toInstant();
        assertEquals(CertificateLifecycle.State.UP, watch.check(Instant.now()).statuses().get(egs.id()).state());
        assertTrue(secrets(egs).alerted.isEmpty());
        assertEquals(CertificateLifecycle.State.WARNING, watch.check(expiry.minus(Duration.ofDays(10))).statuses().get(egs.id()).state());
        assertEquals(java.util.Set.of(30, 14), secrets(egs).alerted);
        watch.check(expiry.minus(Duration.ofDays(10)));
        assertEquals(java.util.Set.of(30, 14), secrets(egs).alerted, "not raised twice");
        assertEquals(CertificateLifecycle.State.DOWN, watch.check(expiry.plusSeconds(60)).statuses().get(egs.id()).state());
        assertEquals(java.util.Set.of(30, 14, 7, 1), secrets(egs).alerted);
    }

    @Test
    void theVaultFileIsEncryptedOwnerOnlyAndBoundToItsPassword() throws Exception {
        EgsConfig egs = egs("simplified");
        assertTrue(onboard(egs, () -> otpFor(egs)).result().ok());
        EgsSecrets s = secrets(egs);
        Path file = vault().file(egs.environment().id(), egs.id());
        byte[] bytes = Files.readAllBytes(file);
        String asText = new String(bytes, StandardCharsets.ISO_8859_1);
        byte[] pkcs8 = Base64.getDecoder().decode(s.productionKey);
        assertFalse(asText.contains(s.productionKey), "base64 key in the file");
        assertFalse(indexOf(bytes, pkcs8) >= 0, "raw PKCS#8 key bytes in the file");
        assertFalse(indexOf(bytes, java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)) >= 0, "the public part of the key in the file");
        assertFalse(asText.contains(s.productionSecret), "CSID secret in the file");
        assertFalse(asText.contains(s.productionToken.substring(0, 40)), "CSID token in the file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        KeyVault wrong = new KeyVault(dir.resolve("vault"), "another-password".toCharArray());
        java.io.IOException ex = assertThrows(java.io.IOException.class, () -> wrong.read(egs.environment().id(), egs.id()));
        assertTrue(ex.getMessage().contains("wrong vault password"), ex.getMessage());
        assertTrue(s.toString().contains("secrets hidden") && !s.toString().contains(s.productionSecret));
    }

    @Test
    void passwordFilesMustBeOwnerOnly() throws Exception {
        Path p = dir.resolve("pw");
        Files.writeString(p, "a-long-enough-password");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> KeyVault.password(p));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        if (System.getenv("ZGW_VAULT_PASSWORD") == null) {
            assertEquals("a-long-enough-password", new String(KeyVault.password(p)));
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
