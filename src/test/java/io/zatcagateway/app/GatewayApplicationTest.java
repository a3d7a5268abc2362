package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application with the real YAML routes, embedded Artemis and the embedded simulator: the demo EGS is
 * onboarded, its certificate (here valid 10 days) makes the certificate watch publish alerts on the events topic,
 * and the health check on the management port reports the warning.
 */
class GatewayApplicationTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void certificateAlertsAreEventsAndTheHealthCheckShowsTheWarning() throws Exception {
        int management = freePort();
        Map<String, String> p = new java.util.HashMap<>(Map.of(
                "camel.management.port", String.valueOf(management),
                "simulator.port", "0",
                "simulator.production-csid-validity", "P10D",
                "gateway.broker.data-dir", dir.resolve("artemis").toString(),
                "gateway.vault.dir", dir.resolve("vault").toString(),
                "gateway.vault.password-file", dir.resolve("vault.password").toString(),
                "gateway.certificate-watch.delay", "4000",
                "gateway.inbox", dir.resolve("inbox").toString(),
                "gateway.archive", dir.resolve("archive").toString(),
                "gateway.error", dir.resolve("error").toString()));
        p.put("gateway.duplicates", dir.resolve("duplicates").toString());
        p.put("gateway.hawtio.enabled", "false");
        p.put("gateway.database.url", "jdbc:h2:file:" + dir.resolve("h2/gateway").toAbsolutePath());
        Main main = GatewayApplication.newMain(p);
        main.start();
        try {
            CamelContext ctx = main.getCamelContext();
            ConnectionFactory cf = ctx.getRegistry().lookupByNameAndType("jmsPool", ConnectionFactory.class);
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createTopic("gateway.events"));
                TextMessage m = (TextMessage) consumer.receive(30_000);
                assertNotNull(m, "no certificate event on the topic");
                JsonNode event = new ObjectMapper().readTree(m.getText());
                assertEquals("zatca.egs.certificate_expiring", event.get("type").asText());
                assertEquals("demo", event.get("egs").asText());
                assertEquals(14, event.get("alertDays").asInt());
                assertNotNull(event.get("eventId"));
                assertTrue(event.get("message").asText().contains("renew"), event.toString());
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + management + "/observe/health?exposureLevel=full&data=true")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("egs-certificates") && health.body().contains("WARNING"), health.body());
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + management + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), metrics.body());
            for (String name : new String[] {"zgw_egs_last_icv", "zgw_egs_queued", "camel_exchanges_total", "camel_exchanges_failed_total",
                    "camel_route_policy_seconds_count"}) {
                assertTrue(metrics.body().contains("\n" + name + "{"), name + " missing from " + metrics.body());
            }
            // per-endpoint timers of Camel's exchange event notifier are off (config/application.properties): they cost
            // about 3% of the intake's CPU; the per-route figures above stay
            assertFalse(metrics.body().contains("camel_exchange_event_notifier"), metrics.body());
        } finally {
            main.stop();
        }
    }
}
