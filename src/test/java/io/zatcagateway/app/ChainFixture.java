package io.zatcagateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.ubl.SampleDocuments;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helpers for the chain: documents for an EGS, sending them to its queue, the simulator's admin API, events. */
final class ChainFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VAT = "300000000000003";
    static final SampleDocuments SAMPLES = new SampleDocuments(VAT, "Demo Trading Company");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private ChainFixture() {
    }

    /** The i-th document of a mixed stream: the six kinds in turn (standard kinds only when {@code standardOnly}). */
    static byte[] mixed(String number, int i, boolean standardOnly) {
        DocumentType[] types = {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE};
        DocumentType t = types[i % 3];
        boolean simplified = !standardOnly && (i / 3) % 2 == 1;
        return SAMPLES.document(t, simplified, number, "ORIG-1").getBytes(StandardCharsets.UTF_8);
    }

    /** Puts a document on an EGS queue the way intake does (headers ZgwDocumentKey, ZgwDocumentNumber). */
    static void send(Session s, MessageProducer p, String number, byte[] ubl) throws Exception {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(ubl);
        m.setStringProperty("ZgwDocumentKey", VAT + ":" + number);
        m.setStringProperty("ZgwDocumentNumber", number);
        p.send(m);
    }

    /** {@code perEgs} documents of mixed kinds on the queue of each EGS, numbered {@code <EGS>-0001…} in send order. */
    static void sendMixed(Session s, List<String> egsUnits, int perEgs) throws Exception {
        Map<String, MessageProducer> producers = new java.util.HashMap<>();
        for (String egs : egsUnits) {
            producers.put(egs, s.createProducer(s.createQueue("zatca.egs." + egs)));
        }
        for (int i = 1; i <= perEgs; i++) {
            for (String egs : egsUnits) {
                String number = egs.toUpperCase() + "-" + String.format("%04d", i);
                send(s, producers.get(egs), number, mixed(number, i, egs.equals("b2b-only")));
            }
        }
    }

    /**
     * After {@link #sendMixed}: every chain verifies with {@code perEgs} documents, ICV i is the i-th document sent, no
     * UUID is stored twice, and the simulator received every document once, with the stored bytes. {@code each} sees
     * every stored document.
     */
    static void assertChainsAndReceipts(ChainStore store, io.zatcagateway.simulator.FatooraSimulator sim, List<String> egsUnits,
                                        int perEgs, java.util.function.Consumer<ChainStore.Stored> each) throws Exception {
        Map<String, String> hashByUuid = new java.util.HashMap<>();
        for (String egs : egsUnits) {
            io.zatcagateway.chain.ChainVerifier.Report r = io.zatcagateway.chain.ChainVerifier.verify(store, egs);
            org.junit.jupiter.api.Assertions.assertNull(r.firstBroken(), egs + ": " + r.firstBroken());
            org.junit.jupiter.api.Assertions.assertEquals(perEgs, r.documents(), egs);
            store.forEach(egs, d -> {
                org.junit.jupiter.api.Assertions.assertEquals(egs.toUpperCase() + "-" + String.format("%04d", d.icv()), d.number(), "order of " + egs);
                org.junit.jupiter.api.Assertions.assertNull(hashByUuid.put(d.uuid(), d.invoiceHash()), "UUID stored twice: " + d.uuid());
                each.accept(d);
            });
        }
        java.util.Set<String> received = new java.util.HashSet<>();
        for (io.zatcagateway.simulator.DocumentRecords.Accepted a : sim.records().list(null)) {
            org.junit.jupiter.api.Assertions.assertTrue(received.add(a.uuid()), "document " + a.id() + " received under two hashes");
            org.junit.jupiter.api.Assertions.assertEquals(hashByUuid.get(a.uuid()), a.invoiceHash(),
                    "document " + a.id() + ": received bytes differ from the stored ones");
        }
        org.junit.jupiter.api.Assertions.assertEquals(egsUnits.size() * perEgs, received.size(), "every document received once");
    }

    /** Onboards every EGS unit of these settings against the simulator (vault password file made when missing). */
    static void onboardAll(java.util.Properties p, io.zatcagateway.simulator.FatooraSimulator sim) throws Exception {
        io.zatcagateway.egs.KeyVault.createPasswordFileIfAbsent(java.nio.file.Path.of(p.getProperty("gateway.vault.password-file")));
        GatewayContext ctx = new GatewayContext(p, sim.baseUrl());
        for (io.zatcagateway.egs.EgsConfig c : ctx.egs().values()) {
            io.zatcagateway.egs.Onboarding.Result r = new io.zatcagateway.egs.Onboarding(c, ctx.vault(), ctx.client(c),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).onboard(() -> sim.issueOtp(c.vat()).code());
            org.junit.jupiter.api.Assertions.assertTrue(r.ok(), r.message());
        }
    }

    /** A configuration file for a gateway process: the shipped one, then these settings and lines (a later line wins). */
    static java.nio.file.Path writeConfig(java.nio.file.Path file, java.util.Properties p, String moreLines) throws Exception {
        StringBuilder text = new StringBuilder(java.nio.file.Files.readString(java.nio.file.Path.of("config/application.properties")))
                .append("\n# test settings\n");
        for (String k : p.stringPropertyNames()) {
            text.append(k).append(" = ").append(p.getProperty(k)).append('\n');
        }
        java.nio.file.Files.writeString(file, text.append(moreLines));
        return file;
    }

    static ChainStore store(TestGateway gw) throws Exception {
        return gw.context().getRegistry().lookupByNameAndType("chain", ChainBeans.class).store();
    }

    /** The simulator's admin base URL (http://host:port/admin). */
    static String admin(TestGateway gw) {
        GatewayServices s = gw.context().getRegistry().lookupByNameAndType("gateway", GatewayServices.class);
        URI u = URI.create(s.simulatorBaseUrl());
        return u.getScheme() + "://" + u.getAuthority() + "/admin";
    }

    static JsonNode call(String method, String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static void faults(TestGateway gw, Map<String, Object> settings) throws Exception {
        Map<String, Object> all = new java.util.LinkedHashMap<>(Map.of("rate429", 0, "rate500", 0, "rate503", 0, "rate504", 0,
                "latencyMillis", 0, "dropResponseRate", 0, "dropHoldMillis", 2000));
        all.putAll(settings);
        call("PUT", admin(gw) + "/faults", JSON.writeValueAsString(all));
    }

    /** Collects every event published on the events topic from now on. */
    static final class Events implements AutoCloseable {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final Session session;
        private final MessageConsumer consumer;

        Events(TestGateway gw) throws Exception {
            session = gw.session();
            consumer = session.createConsumer(session.createTopic("gateway.events"));
            consumer.setMessageListener(m -> {
                try {
                    received.add(JSON.readTree(text(m)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        List<JsonNode> ofType(String suffix) {
            return received.stream().filter(e -> e.path("type").asText().endsWith(suffix)).toList();
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            session.close();
        }
    }

    static String text(Message m) throws Exception {
        return m instanceof TextMessage t ? t.getText() : new String(TestGateway.body(m), StandardCharsets.UTF_8);
    }
}
