package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hawtio in the gateway: nothing without a login, the gateway's routes and the broker after it. */
class HawtioConsoleTest {
    @TempDir
    Path dir;

    /** Outside the demo profile the vault password must exist (owner-only). */
    void vaultPassword() throws Exception {
        Path f = Files.writeString(dir.resolve("vault.password"), "a-test-vault-password");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> login(HttpClient c, String base, String user, String password) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base + "/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleNeedsALoginAndThenShowsTheRoutesAndTheBroker() throws Exception {
        Path webapp = Path.of("target/hawtio/webapp");
        assertTrue(Files.isRegularFile(webapp.resolve("index.html")), "the Hawtio web application is unpacked by the build");
        vaultPassword();
        int port = TestGateway.freePort();
        try (TestGateway gw = new TestGateway(dir, Map.of("gateway.hawtio.enabled", "true", "gateway.hawtio.port", String.valueOf(port),
                "gateway.hawtio.user", "ops", "gateway.hawtio.password", "a-long-enough-secret", "gateway.demo", "false"))) {
            String base = "http://127.0.0.1:" + port + "/hawtio";
            HttpClient anonymous = HttpClient.newHttpClient();
            String search = base + "/jolokia/search/org.apache.camel:type=routes,*";
            assertEquals(403, get(anonymous, search).statusCode(), "Jolokia is closed without a login");
            assertEquals(403, login(anonymous, base, "ops", "wrong-password-here").statusCode());
            assertEquals(403, login(anonymous, base, "admin", "a-long-enough-secret").statusCode());

            HttpClient session = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> loggedIn = login(session, base, "ops", "a-long-enough-secret");
            assertEquals(200, loggedIn.statusCode());
            // Hawtio writes these bodies with its own Jolokia JSON serializer: they are empty when its Jolokia is not the one it was built on
            assertTrue(loggedIn.body().contains("\"principals\"") && loggedIn.body().contains("\"ops\""), "login answer: " + loggedIn.body());
            assertTrue(loggedIn.body().contains(HawtioConsole.Role.class.getName()), "the admin role is in the login answer: " + loggedIn.body());
            assertTrue(!loggedIn.body().contains("a-long-enough-secret"), "the password is not echoed");
            HttpResponse<String> plugins = get(session, base + "/plugin");
            assertEquals(200, plugins.statusCode());
            assertTrue(plugins.body().strip().startsWith("[") || plugins.body().strip().startsWith("{"), "plugin list: '" + plugins.body() + "'");
            assertEquals("\"ops\"", get(session, base + "/user").body().strip(), "the console shows who is logged in");
            HttpResponse<String> routes = get(session, search);
            assertEquals(200, routes.statusCode(), routes.body());
            for (String route : new String[] {"intake-folder", "intake-jms", "intake", "publish-event", "certificate-watch"}) {
                assertTrue(routes.body().contains("name=\\\"" + route + "\\\""), route + " in " + routes.body());
            }
            HttpResponse<String> completed = get(session, base + "/jolokia/read/org.apache.camel:context=zatca-gateway,type=routes,name=%22intake%22/ExchangesCompleted");
            assertEquals(200, completed.statusCode(), completed.body());
            HttpResponse<String> broker = get(session, base + "/jolokia/search/org.apache.activemq.artemis:broker=*");
            assertTrue(broker.body().contains("zatca-gateway-embedded"), broker.body());
            assertTrue(get(session, base + "/").statusCode() < 400);
        }
    }

    @Test
    void withoutADemoProfileAShortPasswordKeepsTheConsoleOff() throws Exception {
        vaultPassword();
        int port = TestGateway.freePort();
        try (TestGateway gw = new TestGateway(dir, Map.of("gateway.hawtio.enabled", "true", "gateway.hawtio.port", String.valueOf(port),
                "gateway.hawtio.password", "admin", "gateway.demo", "false"))) {
            assertTrue(gw.context().getRegistry().lookupByName("hawtio") == null, "no console with a 5-character password");
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                throw new AssertionError("something listens on the console port");
            } catch (java.io.IOException expected) {
                // nothing listens
            }
        }
    }
}
