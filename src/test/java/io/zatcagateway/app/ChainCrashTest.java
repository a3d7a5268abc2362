package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.cli.GatewayCli;
import io.zatcagateway.simulator.Faults;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
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
                    + ";WRITE_DELAY=100;DB_CLOSE_DELAY=-1;AUTO_SERVER=TRUE");
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
            ChainFixture.onboardAll(p, sim);
            Path config = ChainFixture.writeConfig(dir.resolve("gateway.properties"), p, "");

            GatewayProcess gw = GatewayProcess.start(config, dir.resolve("gateway-1.log"));
            // 2,000 documents on the EGS queues (durable in the broker's journal) before the first kill
            try (Connection c = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort).createConnection()) {
                ChainFixture.sendMixed(c.createSession(false, Session.AUTO_ACKNOWLEDGE), EGS, perEgs);
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
                    gw.process().destroyForcibly();   // SIGKILL
                    assertTrue(gw.process().waitFor(20, TimeUnit.SECONDS));
                    kills++;
                    doneAtKill.add(ChainRoutesTest.done(store));
                    gw = GatewayProcess.start(config, dir.resolve("gateway-" + (k + 2) + ".log"));
                }
                System.out.println("crash test: documents answered at each SIGKILL: " + doneAtKill);
                assertTrue(doneAtKill.get(0) > 0 && doneAtKill.get(0) < EGS.size() * perEgs, "the first kill came mid-flow: " + doneAtKill);
                TestGateway.await("all 2,000 documents answered after " + kills + " kills", 240_000, () -> ChainRoutesTest.done(store) == EGS.size() * perEgs);
            }
            gw.process().destroy();
            assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS));

            try (HikariDataSource ro = new HikariDataSource()) {
                ro.setJdbcUrl(p.getProperty("gateway.database.url"));
                ro.setUsername("sa");
                ChainFixture.assertChainsAndReceipts(new ChainStore(ro), sim, EGS, perEgs, d -> { });
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
}
