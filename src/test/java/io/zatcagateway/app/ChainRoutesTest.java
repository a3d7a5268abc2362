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

    static int done(ChainStore store) {
        try {
            int n = 0;
            for (ChainStore.State s : List.of(ChainStore.State.CLEARED, ChainStore.State.REPORTED)) {
                n += store.inState(null, s, 100_000).size();
            }
            return n;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
