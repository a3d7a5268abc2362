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
