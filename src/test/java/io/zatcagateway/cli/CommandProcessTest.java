package io.zatcagateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The long-running commands, started as their own JVM the way a user starts them, then stopped with SIGTERM. */
class CommandProcessTest {
    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/e-invoicing/developer-portal");

    record Started(Process process, List<String> lines, String root) {
    }

    static Started start(String marker, String... args) throws Exception {
        Path tmp = java.nio.file.Files.createTempDirectory("zgw-cmd");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsimulator.port=0", "-Dcamel.management.port=0", "-Dgateway.broker.data-dir=" + tmp.resolve("artemis"),
                "-Dgateway.vault.dir=" + tmp.resolve("vault"), "-Dgateway.vault.password-file=" + tmp.resolve("vault.password"),
                "-Dgateway.inbox=" + tmp.resolve("inbox"), "-Dgateway.archive=" + tmp.resolve("archive"), "-Dgateway.error=" + tmp.resolve("error"),
                "-Dgateway.duplicates=" + tmp.resolve("duplicates"), "-Dgateway.hawtio.port=0",
                "-Dgateway.hawtio.password-file=" + tmp.resolve("hawtio.password"), "-Dgateway.database.url=jdbc:h2:file:" + tmp.resolve("h2/gateway").toAbsolutePath(),
                // the user's logging configuration, not the test one (which keeps tests quiet at WARN)
                "-Dlog4j2.configurationFile=" + Path.of(CommandProcessTest.class.getResource("/log4j2.properties").toURI()),
                "-cp", System.getProperty("java.class.path"), GatewayCli.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String root = null;
        while (System.nanoTime() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            lines.add(line);
            Matcher m = URL.matcher(line);
            if (line.contains(marker) && m.find()) {
                root = m.group(1);
                break;
            }
        }
        Thread drain = new Thread(() -> r.lines().forEach(lines::add));
        drain.setDaemon(true);
        drain.start();
        return new Started(p, lines, root);
    }

    static int health(String root) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(root + "/admin/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static void stop(Started s) throws Exception {
        s.process().destroy();
        assertTrue(s.process().waitFor(20, TimeUnit.SECONDS), "the command stops on SIGTERM");
    }

    @Test
    void simulatorCommandPrintsItsBaseUrlAndAFirstOtp() throws Exception {
        Started s = start("Fatoora simulator listening on", "simulator", "--vat", "300000000000003");
        try {
            assertNotNull(s.root(), "no 'Fatoora simulator listening on' line: " + s.lines());
            assertEquals(200, health(s.root()));
            Thread.sleep(200);
            assertTrue(s.lines().stream().anyMatch(l -> l.matches("OTP for VAT 300000000000003: [0-9]{6} .*")), s.lines().toString());
        } finally {
            stop(s);
        }
    }

    @Test
    void runCommandStartsTheEmbeddedSimulatorAndOnboardsTheDemoEgs() throws Exception {
        Started s = start("embedded Fatoora simulator:", "run");
        try {
            assertNotNull(s.root(), "run did not report its simulator: " + s.lines());
            assertEquals(200, health(s.root()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && s.lines().stream().noneMatch(l -> l.contains("EGS demo (simulator): ONBOARDED"))) {
                Thread.sleep(200);
            }
            assertTrue(s.lines().stream().anyMatch(l -> l.contains("compliance check 12/12 passed")), s.lines().toString());
            assertTrue(s.lines().stream().anyMatch(l -> l.contains("EGS demo (simulator): ONBOARDED, certificate")), s.lines().toString());
        } finally {
            stop(s);
        }
    }
}
