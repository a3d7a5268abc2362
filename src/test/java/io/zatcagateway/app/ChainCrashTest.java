package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.chain.ChainVerifier;
import io.zatcagateway.cli.GatewayCli;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.KeyVault;
import io.zatcagateway.egs.Onboarding;
import io.zatcagateway.simulator.DocumentRecords;
import io.zatcagateway.simulator.Faults;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The gateway as its own process, killed with SIGKILL at random moments while 2,000 documents of 4 EGS flow through
 * the chain (with 10% transient faults and some lost answers at the simulator, which lives in this JVM and survives the
 * kills). After the last restart every document ends answered, every chain verifies (also with the chain verify
 * command), and ZATCA received each document once, with the stored bytes.
 */
class ChainCrashTest {
    static final List<String> EGS = ChainRoutesTest.EGS;

    @Test
    void sigkillWhileTwoThousandDocumentsFlow() throws Exception {
        // not @TempDir: a killed JVM's files are removed best-effort at the end, never failing the test
        Path dir = Files.createTempDirectory("zgw-crash");
        try {
            run(dir);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void run(Path dir) throws Exception {
        int perEgs = 500;
        try (FatooraSimulator sim = new FatooraSimulator(SimulatorConfig.of("simulator.port", "0")).start()) {
            sim.faults().set(new Faults.Settings(0, 0, 0.10, 0, 3, 0.01, 1200, null));
            Properties p = new Properties();
            p.setProperty("gateway.egs-dir", dir.resolve("egs").toString());
            p.setProperty("gateway.vault.dir", dir.resolve("vault").toString());
            p.setProperty("gateway.vault.password-file", dir.resolve("vault.password").toString());
            p.setProperty("gateway.simulator.base-url", sim.baseUrl());
            p.setProperty("gateway.simulator.embedded", "false");
            p.setProperty("gateway.demo", "false");
            p.setProperty("gateway.database.url", "jdbc:h2:file:" + dir.resolve("h2/gateway").toAbsolutePath()
                    + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1;AUTO_SERVER=TRUE");
            p.setProperty("gateway.broker.data-dir", dir.resolve("artemis").toString());
            int brokerPort = TestGateway.freePort();
            p.setProperty("gateway.broker.tcp-acceptor", "tcp://127.0.0.1:" + brokerPort);
            for (String f : List.of("inbox", "archive", "error", "duplicates", "outbox", "rejected", "replay")) {
                p.setProperty("gateway." + f, dir.resolve(f).toString());
            }
            p.setProperty("gateway.hawtio.enabled", "false");
            // the same short timeout and back-off as the in-process chain tests
            p.putAll(ChainRoutesTest.chainSettings());
            p.setProperty("camel.management.port", "0");
            TestGateway.writeEgsUnits(dir.resolve("egs"));
            KeyVault.createPasswordFileIfAbsent(dir.resolve("vault.password"));
            GatewayContext ctx = new GatewayContext(p, sim.baseUrl());
            for (EgsConfig c : ctx.egs().values()) {
                Onboarding.Result r = new Onboarding(c, ctx.vault(), ctx.client(c), new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .onboard(() -> sim.issueOtp(c.vat()).code());
                assertTrue(r.ok(), r.message());
            }
            Path config = dir.resolve("gateway.properties");
            // the shipped configuration, with this test's settings appended (a later line wins)
            StringBuilder text = new StringBuilder(Files.readString(Path.of("config/application.properties"))).append("\n# crash test\n");
            for (String k : p.stringPropertyNames()) {
                text.append(k).append(" = ").append(p.getProperty(k)).append('\n');
            }
            Files.writeString(config, text);

            Child gw = Child.start(config, dir.resolve("gateway-1.log"));
            // 2,000 documents on the EGS queues (durable in the broker's journal) before the first kill
            try (Connection c = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Map<String, MessageProducer> producers = new HashMap<>();
                for (String egs : EGS) {
                    producers.put(egs, s.createProducer(s.createQueue("zatca.egs." + egs)));
                }
                for (int i = 1; i <= perEgs; i++) {
                    for (String egs : EGS) {
                        String number = egs.toUpperCase() + "-" + String.format("%04d", i);
                        ChainFixture.send(s, producers.get(egs), number, ChainFixture.mixed(number, i, egs.equals("b2b-only")));
                    }
                }
            }
            Random random = new Random();
            int kills = 0;
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl(p.getProperty("gateway.database.url"));
            ds.setUsername("sa");
            ds.setMaximumPoolSize(2);
            try (ds) {
                ChainStore store = new ChainStore(ds);
                List<Integer> doneAtKill = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    Thread.sleep(1000 + random.nextInt(2500));
                    gw.process.destroyForcibly();   // SIGKILL
                    assertTrue(gw.process.waitFor(20, TimeUnit.SECONDS));
                    kills++;
                    doneAtKill.add(ChainRoutesTest.done(store));
                    gw = Child.start(config, dir.resolve("gateway-" + (k + 2) + ".log"));
                }
                System.out.println("crash test: documents answered at each SIGKILL: " + doneAtKill);
                assertTrue(doneAtKill.get(0) > 0 && doneAtKill.get(0) < EGS.size() * perEgs, "the first kill came mid-flow: " + doneAtKill);
                TestGateway.await("all 2,000 documents answered after " + kills + " kills", 240_000, () -> ChainRoutesTest.done(store) == EGS.size() * perEgs);
            }
            gw.process.destroy();
            assertTrue(gw.process.waitFor(30, TimeUnit.SECONDS));

            try (HikariDataSource ro = new HikariDataSource()) {
                ro.setJdbcUrl(p.getProperty("gateway.database.url"));
                ro.setUsername("sa");
                ChainStore store = new ChainStore(ro);
                Map<String, String> hashByUuid = new HashMap<>();
                for (String egs : EGS) {
                    ChainVerifier.Report r = ChainVerifier.verify(store, egs);
                    assertNull(r.firstBroken(), egs + ": " + r.firstBroken());
                    assertEquals(perEgs, r.documents(), egs);
                    store.forEach(egs, d -> {
                        assertEquals(egs.toUpperCase() + "-" + String.format("%04d", d.icv()), d.number(), "order of " + egs);
                        hashByUuid.put(d.uuid(), d.invoiceHash());
                    });
                }
                Set<String> uuids = new HashSet<>();
                for (DocumentRecords.Accepted a : sim.records().list(null)) {
                    assertTrue(uuids.add(a.uuid()), "document " + a.id() + " received under two hashes");
                    assertEquals(hashByUuid.get(a.uuid()), a.invoiceHash(), "document " + a.id() + ": received bytes differ from the stored ones");
                }
                assertEquals(EGS.size() * perEgs, uuids.size(), "every document received once");
            }
            // the command an operator runs
            Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), GatewayCli.class.getName(), "chain", "verify", "--config", config.toString())
                    .redirectErrorStream(true).start();
            String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, verify.waitFor(), out);
            for (String egs : EGS) {
                assertTrue(out.contains("OK    " + egs + ": " + perEgs + " documents"), out);
            }
        }
    }

    /** A gateway JVM started with the run command on a configuration file, its output in a log file. */
    record Child(Process process, List<String> lines) {
        static Child start(Path config, Path log) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dgateway.config=file:" + config, "-Dlog4j2.configurationFile=" + Path.of(ChainCrashTest.class.getResource("/log4j2.properties").toURI()),
                    "-cp", System.getProperty("java.class.path"), GatewayCli.class.getName(), "run"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try (PrintStream out = new PrintStream(Files.newOutputStream(log), true)) {
                String line;
                while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                    lines.add(line);
                    out.println(line);
                    if (line.contains("started in")) {
                        break;
                    }
                }
            }
            Thread drain = new Thread(() -> {
                try {
                    r.lines().forEach(lines::add);
                } catch (java.io.UncheckedIOException closed) {
                    // the process was killed
                }
            });
            drain.setDaemon(true);
            drain.start();
            if (!p.isAlive() || lines.stream().noneMatch(l -> l.contains("started in"))) {
                throw new AssertionError("the gateway did not start: " + String.join("\n", lines));
            }
            return new Child(p, lines);
        }
    }
}
