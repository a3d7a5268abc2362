package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser: headless Chromium (Debian's package) opens Hawtio, is refused the data without a login, logs in
 * with the configured account, and renders the Camel plugin with the gateway's routes. Driven over the DevTools
 * protocol with the JDK's WebSocket client. Skipped, saying why, where Chromium is not installed.
 */
class HawtioChromiumTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    /** A minimal DevTools client: one page, commands with ids, results by id. */
    static final class DevTools implements WebSocket.Listener {
        final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final AtomicInteger ids = new AtomicInteger();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        JsonNode send(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ws.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
            return f.get(30, TimeUnit.SECONDS);
        }

        String eval(String js) throws Exception {
            JsonNode r = send("Runtime.evaluate", Map.of("expression", js, "awaitPromise", true, "returnByValue", true));
            return r.at("/result/result/value").asText();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(partial.toString());
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                        if (f != null) {
                            f.complete(n);
                        }
                    }
                } catch (Exception ignored) {
                    // events we do not use
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Test
    void headlessChromiumLogsInAndSeesTheGatewaysRoutes() throws Exception {
        Path chromium = chromium();
        if (chromium == null) {
            System.out.println("HawtioChromiumTest SKIPPED: no Chromium (install Debian's chromium package)");
        }
        Assumptions.assumeTrue(chromium != null, "skipped: no Chromium (install Debian's chromium package)");
        Path vaultPassword = Files.writeString(dir.resolve("vault.password"), "a-test-vault-password");
        Files.setPosixFilePermissions(vaultPassword, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        int port = TestGateway.freePort();
        int devtools = TestGateway.freePort();
        try (TestGateway gw = new TestGateway(dir, Map.of("gateway.hawtio.enabled", "true", "gateway.hawtio.port", String.valueOf(port),
                "gateway.hawtio.user", "ops", "gateway.hawtio.password", "a-long-enough-secret", "gateway.demo", "false"))) {
            Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--remote-debugging-address=127.0.0.1",
                    "--remote-debugging-port=" + devtools, "--user-data-dir=" + dir.resolve("chromium"), "about:blank")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                JsonNode page = null;
                for (int i = 0; i < 100 && page == null; i++) {
                    try {
                        JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtools + "/json/list")).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                        for (JsonNode t : list) {
                            if ("page".equals(t.path("type").asText())) {
                                page = t;
                            }
                        }
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(200);
                    }
                }
                assertTrue(page != null, "Chromium started no page");
                DevTools cdp = new DevTools();
                cdp.ws = http.newWebSocketBuilder().buildAsync(URI.create(page.get("webSocketDebuggerUrl").asText()), cdp).join();
                String base = "http://127.0.0.1:" + port + "/hawtio";
                cdp.send("Page.navigate", Map.of("url", base + "/"));
                waitFor(cdp, "the login page", "document.readyState === 'complete' && document.body.innerText.length > 0");
                String refused = cdp.eval("fetch('" + base + "/jolokia/search/org.apache.camel:type=routes,*').then(r => String(r.status))");
                assertTrue(refused.equals("403"), "data without a login: " + refused);
                String login = cdp.eval("fetch('" + base + "/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                        + " body: JSON.stringify({username: 'ops', password: 'a-long-enough-secret'})}).then(r => String(r.status))");
                assertTrue(login.equals("200"), "login: " + login);
                cdp.send("Page.navigate", Map.of("url", base + "/camel/routes"));
                waitFor(cdp, "the Camel routes rendered", "document.body.innerText.includes('intake-folder')"
                        + " && document.body.innerText.includes('certificate-watch')");
                String text = cdp.eval("document.body.innerText");
                assertTrue(text.contains("intake-jms") && text.contains("publish-event"), text);
            } finally {
                browser.destroy();
                browser.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static void waitFor(DevTools cdp, String what, String condition) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if ("true".equals(cdp.eval("String(" + condition + ")"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what + "; page text: " + cdp.eval("document.body.innerText").replace('\n', ' '));
    }
}
