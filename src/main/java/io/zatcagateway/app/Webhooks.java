package io.zatcagateway.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook subscriptions ({@code gateway.webhook.<name>.url}, {@code .secret}, optional {@code .types}): each event is
 * POSTed as JSON with headers {@code X-Zgw-Event-Id}, {@code X-Zgw-Event-Type}, {@code X-Zgw-Timestamp} and
 * {@code X-Zgw-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the subscription's secret>}. The
 * secret itself is never sent or logged. A non-2xx answer or a transport error throws, so the route retries with
 * back-off; delivery runs on its own subscription and never holds up the chain.
 */
public final class Webhooks {
    /** One subscription. */
    public record Subscription(String name, String url, String secret, List<String> types) {
        @Override
        public String toString() {
            return name + " -> " + url + " (secret not shown)";
        }
    }

    /** Thrown when the receiver did not take the event. */
    public static final class NotDelivered extends Exception {
        public NotDelivered(String message) {
            super(message, null, false, false);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Map<String, Subscription> subscriptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Webhooks(Map<String, Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Subscriptions from {@code gateway.webhook.<name>.*}; a subscription without a secret of 16+ characters is refused. */
    public static Webhooks from(Properties p) {
        Map<String, Subscription> subs = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("gateway.webhook.") && k.endsWith(".url") && !p.getProperty(k).isBlank()) {
                String name = k.substring("gateway.webhook.".length(), k.length() - ".url".length());
                String secret = GatewayContext.resolveEnv(p.getProperty("gateway.webhook." + name + ".secret", "").trim());
                if (secret.length() < 16) {
                    throw new IllegalArgumentException("webhook '" + name + "': gateway.webhook." + name + ".secret must be at least 16 "
                            + "characters (use {{env:NAME}} to take it from the environment)");
                }
                String types = p.getProperty("gateway.webhook." + name + ".types", "").trim();
                subs.put(name, new Subscription(name, p.getProperty(k).trim(), secret,
                        types.isEmpty() ? List.of() : List.of(types.split("\\s*,\\s*"))));
            }
        }
        return new Webhooks(subs);
    }

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** True when the subscription wants this event (its type starts with one of the listed prefixes, or no list). */
    public boolean wanted(String name, String body) throws java.io.IOException {
        Subscription s = subscriptions.get(name);
        if (s.types().isEmpty()) {
            return true;
        }
        String type = JSON.readTree(body).path("type").asText();
        return s.types().stream().anyMatch(type::startsWith);
    }

    /** POSTs the event; throws {@link NotDelivered} unless the receiver answers 2xx. */
    public void deliver(String name, String body) throws Exception {
        Subscription s = subscriptions.get(name);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        com.fasterxml.jackson.databind.JsonNode event = JSON.readTree(body);
        String eventId = event.path("eventId").asText();
        String type = event.path("type").asText();
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Zgw-Event-Id", eventId)
                .header("X-Zgw-Event-Type", type)
                .header("X-Zgw-Timestamp", timestamp)
                .header("X-Zgw-Signature", "sha256=" + signature(s.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<Void> a;
        try {
            a = http.send(r, HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new NotDelivered("webhook '" + name + "' (" + s.url() + "): " + e);
        }
        if (a.statusCode() / 100 != 2) {
            throw new NotDelivered("webhook '" + name + "' (" + s.url() + ") answered " + a.statusCode());
        }
    }

    /** Lowercase hex HMAC-SHA256 of {@code "<timestamp>.<body>"}: what a receiver recomputes to trust the event. */
    public static String signature(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
