package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.chain.ChainVerifier;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain and submission flow on the real routes, broker, H2 store and the simulator over HTTP: four EGS at once
 * with 30% transient faults and outcome-unknown timeouts.
 */
class ChainRoutesTest {
    static final List<String> EGS = List.of("demo", "riyadh-plant", "jeddah-bu", "b2b-only");

    static Map<String, String> chainSettings() {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.chain.enabled", "true");
        p.put("simulator.demo-otp", "123456");
        p.put("gateway.submit.timeout", "1000");
        p.put("gateway.outbox.fsync", "false");
        for (String e : List.of("clearance", "reporting")) {
            p.put("gateway." + e + ".max-redeliveries", "12");
            p.put("gateway." + e + ".redelivery-delay", "20");
            p.put("gateway." + e + ".backoff-multiplier", "2");
            p.put("gateway." + e + ".max-redelivery-delay", "400");
        }
        p.put("gateway.credentials.retry-delay", "200");
        return p;
    }

    @Test
    void fourEgsConcurrentlyWithTransientFaultsAndLostAnswers(@TempDir Path dir) throws Exception {
        int perEgs = 250;
        try (TestGateway gw = new TestGateway(dir, chainSettings()); ChainFixture.Events events = new ChainFixture.Events(gw)) {
            // 30% of submissions fail with 429/500/503/504 before processing; 3% are processed but never answered
            ChainFixture.faults(gw, Map.of("rate429", 0.075, "rate500", 0.075, "rate503", 0.075, "rate504", 0.075,
                    "dropResponseRate", 0.03, "dropHoldMillis", 1300));
            ExecutorService pool = Executors.newFixedThreadPool(EGS.size());
            List<Future<?>> sent = new ArrayList<>();
            for (String egs : EGS) {
                sent.add(pool.submit(() -> {
                    Session s = gw.session();
                    try (MessageProducer p = s.createProducer(s.createQueue("zatca.egs." + egs))) {
                        for (int i = 1; i <= perEgs; i++) {
                            String number = egs.toUpperCase() + "-" + String.format("%04d", i);
                            ChainFixture.send(s, p, number, ChainFixture.mixed(number, i, egs.equals("b2b-only")));
                        }
                    } finally {
                        s.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            pool.shutdown();
            ChainStore store = ChainFixture.store(gw);
            TestGateway.await("all documents answered", 240_000, () -> done(store) == EGS.size() * perEgs);
            ChainFixture.faults(gw, Map.of());

            Map<String, String> hashByUuid = new HashMap<>();
            for (String egs : EGS) {
                ChainVerifier.Report r = ChainVerifier.verify(store, egs);
                assertNull(r.firstBroken(), egs + ": " + r.firstBroken());
                assertEquals(perEgs, r.documents(), egs);
                assertEquals(perEgs, r.lastIcv(), egs);
                // order per EGS follows arrival: the i-th document sent has ICV i
                store.forEach(egs, d -> {
                    assertEquals(egs.toUpperCase() + "-" + String.format("%04d", d.icv()), d.number(), "ICV order of " + egs);
                    assertTrue(d.state() == ChainStore.State.CLEARED || d.state() == ChainStore.State.REPORTED, d.number() + " " + d.state());
                    assertEquals(d.standard() ? ChainStore.State.CLEARED : ChainStore.State.REPORTED, d.state(), d.number());
                    hashByUuid.put(d.uuid(), d.invoiceHash());
                });
            }
            // what ZATCA (the simulator) received: every document exactly once, with the stored bytes (same hash)
            JsonNode records = ChainFixture.call("GET", ChainFixture.admin(gw) + "/records", null).path("records");
            Set<String> uuids = new HashSet<>();
            for (JsonNode rec : records) {
                String uuid = rec.path("uuid").asText();
                assertTrue(uuids.add(uuid), "document " + uuid + " received twice under different hashes");
                assertEquals(hashByUuid.get(uuid), rec.path("invoiceHash").asText(), "received bytes differ from the stored ones");
            }
            assertEquals(EGS.size() * perEgs, uuids.size());
            // outbox: one XML, one QR and one response per document
            List<Path> out = gw.files("outbox");
            assertEquals(EGS.size() * perEgs, out.stream().filter(f -> f.toString().endsWith(".xml")).count());
            assertEquals(EGS.size() * perEgs, out.stream().filter(f -> f.toString().endsWith(".qr.png")).count());
            assertEquals(EGS.size() * perEgs, out.stream().filter(f -> f.toString().endsWith(".response.json")).count());
            // events: one cleared/reported event per document, with its payload
            TestGateway.await("events", 10_000, () -> events.ofType(".cleared").size() + events.ofType(".reported").size() >= EGS.size() * perEgs);
            JsonNode e = events.ofType(".cleared").get(0);
            for (String field : List.of("eventId", "timestamp", "documentId", "documentNumber", "issueTime", "status", "zatcaResponse")) {
                assertTrue(e.has(field), "event lacks " + field + ": " + e);
            }
            Set<String> types = new HashSet<>();
            events.received.forEach(x -> types.add(x.path("type").asText()));
            assertTrue(types.containsAll(List.of("zatca.invoice.cleared", "zatca.credit_note.cleared", "zatca.debit_note.cleared",
                    "zatca.simplified_invoice.reported", "zatca.simplified_credit_note.reported", "zatca.simplified_debit_note.reported")), types.toString());
        }
    }

    /**
     * One gateway, the other answers: 400 rejected (chain goes on), 303 re-routed to reporting, 401 pauses the EGS
     * until the credentials work, transient faults beyond the last try dead-letter with history, and a replay sends the
     * same bytes; then the ERP examples dropped into the inbox come out in the outbox, signed and chained.
     */
    @Test
    void rejectedReroutedPausedDeadLetteredReplayedAndExamplesToOutbox(@TempDir Path dir) throws Exception {
        Map<String, String> p = chainSettings();
        for (String e : List.of("clearance", "reporting")) {
            p.put("gateway." + e + ".max-redeliveries", "2");
        }
        // a webhook receiver that fails its first two requests
        List<String[]> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger hookCalls = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int status = hookCalls.incrementAndGet() <= 2 ? 500 : 200;
            if (status == 200) {
                hooks.add(new String[] {x.getRequestHeaders().getFirst("X-Zgw-Timestamp"), x.getRequestHeaders().getFirst("X-Zgw-Signature"),
                        new String(body, java.nio.charset.StandardCharsets.UTF_8)});
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        receiver.start();
        p.put("gateway.webhook.erp.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        p.put("gateway.webhook.erp.secret", "a-test-secret-of-32-characters!!");
        p.put("gateway.webhook.erp.types", "zatca.invoice.,zatca.simplified_invoice.");
        p.put("gateway.webhooks.redelivery-delay", "50");
        p.put("gateway.deadline-watch.period", "500");
        try (TestGateway gw = new TestGateway(dir, p); ChainFixture.Events events = new ChainFixture.Events(gw)) {
            ChainStore store = ChainFixture.store(gw);
            Session s = gw.session();
            MessageProducer demo = s.createProducer(s.createQueue("zatca.egs.demo"));

            // 400: ZATCA rejects (wrong ProfileID); the document keeps its ICV, the next one chains on its hash
            byte[] bad = new String(ChainFixture.mixed("BAD-1", 0, false), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("reporting:1.0", "reporting:2.0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ChainFixture.send(s, demo, "BAD-1", bad);
            ChainFixture.send(s, demo, "GOOD-2", ChainFixture.mixed("GOOD-2", 3, false));
            TestGateway.await("rejected and next reported", 20_000, () -> state(store, "BAD-1") == ChainStore.State.REJECTED
                    && state(store, "GOOD-2") == ChainStore.State.REPORTED);
            assertTrue(gw.files("rejected").stream().anyMatch(f -> f.toString().endsWith("BAD-1.response.json")));
            TestGateway.await("failed event", 5_000, () -> !events.ofType("invoice.failed").isEmpty());
            JsonNode failed = events.ofType("invoice.failed").get(0);
            assertTrue(failed.path("errors").toString().contains("BR-KSA-EN16931-01"), failed.toString());
            assertEquals(store.find(ChainFixture.VAT + ":BAD-1").orElseThrow().invoiceHash(), store.find(ChainFixture.VAT + ":GOOD-2").orElseThrow().pih());

            // the same document arriving for another EGS: dead-lettered there, the first EGS's record untouched
            try (MessageProducer jeddah = s.createProducer(s.createQueue("zatca.egs.jeddah-bu"))) {
                ChainFixture.send(s, jeddah, "GOOD-2", ChainFixture.mixed("GOOD-2", 3, false));
            }
            TestGateway.await("copy for another EGS dead-lettered", 20_000, () -> events.received.stream()
                    .anyMatch(e -> "jeddah-bu".equals(e.path("egs").asText()) && e.path("reason").asText().contains("already in the chain of EGS demo")));
            assertEquals(ChainStore.State.REPORTED, state(store, "GOOD-2"));

            // 303: clearance switched off: the standard invoice ends reported
            ChainFixture.call("POST", ChainFixture.admin(gw) + "/clearance?enabled=false", null);
            ChainFixture.send(s, demo, "STD-303", ChainFixture.mixed("STD-303", 0, false));
            TestGateway.await("303 re-routed", 20_000, () -> state(store, "STD-303") == ChainStore.State.REPORTED);
            assertTrue(store.find(ChainFixture.VAT + ":STD-303").orElseThrow().history().contains("303"));
            ChainFixture.call("POST", ChainFixture.admin(gw) + "/clearance?enabled=true", null);

            // 401: the CSID has expired for ZATCA (its clock moved on): the EGS pauses and resumes once it works again
            ChainFixture.call("POST", ChainFixture.admin(gw) + "/clock?advanceSeconds=" + 800 * 86400L, null);
            ChainFixture.send(s, demo, "P-1", ChainFixture.mixed("P-1", 3, false));
            ChainFixture.send(s, demo, "P-2", ChainFixture.mixed("P-2", 4, false));
            TestGateway.await("paused event", 20_000, () -> !events.ofType("zatca.egs.paused").isEmpty());
            Thread.sleep(1000);
            assertEquals(ChainStore.State.RETRYING, state(store, "P-1"));
            assertNull(store.find(ChainFixture.VAT + ":P-2").orElse(null), "later documents of a paused EGS wait");
            ChainFixture.call("POST", ChainFixture.admin(gw) + "/clock?advanceSeconds=" + -800 * 86400L, null);
            TestGateway.await("resumed", 20_000, () -> state(store, "P-2") == ChainStore.State.REPORTED);
            assertEquals(1, events.ofType("zatca.egs.resumed").size());

            // transient faults beyond the last try: dead-letter queue with history, event, then replay with the same bytes
            ChainFixture.faults(gw, Map.of("rate503", 1.0));
            ChainFixture.send(s, demo, "DLQ-1", ChainFixture.mixed("DLQ-1", 0, false));
            // a simplified document issued two days ago, also dead-lettered: its 24-hour reporting deadline has passed
            String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Riyadh")).toString();
            ChainFixture.send(s, demo, "OLD-1", new String(ChainFixture.mixed("OLD-1", 3, false), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("<cbc:IssueDate>" + today, "<cbc:IssueDate>" + java.time.LocalDate.parse(today).minusDays(2))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            TestGateway.await("dead-lettered", 20_000, () -> state(store, "DLQ-1") == ChainStore.State.DEAD);
            TestGateway.await("OLD-1 dead-lettered", 20_000, () -> state(store, "OLD-1") == ChainStore.State.DEAD);
            TestGateway.await("reporting deadline alert", 20_000, () -> events.ofType("simplified_invoice.reporting_deadline").stream()
                    .anyMatch(e -> "OLD-1".equals(e.path("documentNumber").asText()) && e.path("needsAttention").asBoolean()));
            // the alert is sent once for the deployment: another instance's watch on the same database (or this one
            // after a restart) does not send it again
            ChainBeans otherInstance = new ChainBeans(gw.context(), null, new io.zatcagateway.chain.Outbox(dir.resolve("other-outbox"), false),
                    new io.zatcagateway.chain.Outbox(dir.resolve("other-rejected"), false), java.time.Duration.ofSeconds(5),
                    java.time.Duration.ofHours(4)).instance("gw-2", java.time.Duration.ofSeconds(30));
            assertTrue(otherInstance.deadlineAlerts().stream().noneMatch(e -> "OLD-1".equals(e.get("documentNumber"))),
                    "a second instance alerts again");
            assertEquals(1, events.ofType("simplified_invoice.reporting_deadline").stream()
                    .filter(e -> "OLD-1".equals(e.path("documentNumber").asText())).count());
            TestGateway.await("needs-a-person event", 5_000, () -> events.received.stream().anyMatch(e -> e.path("needsAttention").asBoolean()
                    && "DLQ-1".equals(e.path("documentNumber").asText())));
            String hash = store.find(ChainFixture.VAT + ":DLQ-1").orElseThrow().invoiceHash();
            ChainFixture.faults(gw, Map.of());
            java.nio.file.Files.writeString(dir.resolve("replay").resolve("fix.replay"), "demo/DLQ-1\n");
            TestGateway.await("replayed and cleared", 20_000, () -> state(store, "DLQ-1") == ChainStore.State.CLEARED);
            assertEquals(hash, store.find(ChainFixture.VAT + ":DLQ-1").orElseThrow().invoiceHash());
            JsonNode rec = null;
            for (JsonNode r : ChainFixture.call("GET", ChainFixture.admin(gw) + "/records", null).path("records")) {
                if ("DLQ-1".equals(r.path("id").asText())) {
                    rec = r;
                }
            }
            assertEquals(hash, rec.path("invoiceHash").asText(), "the replay sent the stored bytes");
            // replay by a message on the replay queue (what Hawtio's Artemis tab sends)
            try (MessageProducer replay = s.createProducer(s.createQueue("zatca.replay"))) {
                replay.send(s.createTextMessage("demo/OLD-1"));
            }
            TestGateway.await("OLD-1 replayed and reported", 20_000, () -> state(store, "OLD-1") == ChainStore.State.REPORTED);
            demo.close();
            s.close();

            // webhooks: delivered despite the receiver's first failures, signed with the subscription's secret, filtered by type
            TestGateway.await("webhook deliveries", 20_000, () -> hooks.stream().anyMatch(h -> h[2].contains("\"BAD-1\"")));
            for (String[] h : hooks) {
                assertEquals("sha256=" + Webhooks.signature("a-test-secret-of-32-characters!!", h[0], h[2]), h[1]);
                String type = ChainFixture.JSON.readTree(h[2]).path("type").asText();
                assertTrue(type.startsWith("zatca.invoice.") || type.startsWith("zatca.simplified_invoice."), type);
            }
            assertTrue(hookCalls.get() >= hooks.size() + 2, "failed deliveries were retried");

            // the ERP examples, from the inbox to the outbox
            int before = done(store);
            int documents = 0;
            for (String format : List.of("sap", "oracle", "ubl")) {
                try (var files = java.nio.file.Files.list(Path.of("examples", format))) {
                    for (Path f : files.sorted().toList()) {
                        gw.drop(format, f.getFileName().toString(), java.nio.file.Files.readAllBytes(f));
                        String text = java.nio.file.Files.readString(f);
                        documents += format.equals("sap") ? Math.max(1, text.split("<IDOC[ >]", -1).length - 1) : 1;
                    }
                }
            }
            int expected = before + documents;
            TestGateway.await("examples in the outbox", 60_000, () -> done(store) == expected);
            for (String egs : List.of("demo", "riyadh-plant", "jeddah-bu")) {
                ChainVerifier.Report r = ChainVerifier.verify(store, egs);
                assertNull(r.firstBroken(), r.firstBroken());
            }
            for (Path x : gw.files("outbox")) {
                if (x.toString().endsWith(".xml")) {
                    byte[] xml = java.nio.file.Files.readAllBytes(x);
                    var doc = io.zatcagateway.core.xml.SecureXml.parse(xml);
                    var report = io.zatcagateway.core.validation.Preflight.check(doc, xml,
                            io.zatcagateway.core.validation.PreflightOptions.signed().strict(true))
                            .plus(io.zatcagateway.core.SignatureVerifier.verify(doc));
                    assertTrue(!report.hasErrors(), x + ": " + report);
                }
            }
        } finally {
            receiver.stop(0);
        }
    }

    static ChainStore.State state(ChainStore store, String number) {
        try {
            return store.find(ChainFixture.VAT + ":" + number).map(ChainStore.Stored::state).orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int done(ChainStore store) {
        try {
            return store.count(ChainStore.State.CLEARED, ChainStore.State.REPORTED);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
