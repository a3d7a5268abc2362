package io.zatcagateway.app;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real gateway (camel-main, YAML routes from routes/, embedded Artemis, embedded simulator, H2) with every working
 * folder, the broker journal, the database and the vault in a temporary folder, and EGS units from a test folder.
 * Demo onboarding is off (no demo OTP): intake needs the EGS configuration, not certificates. The chain (consumers of
 * the EGS queues) is off unless {@code gateway.chain.enabled=true} is passed.
 */
public final class TestGateway implements AutoCloseable {
    final Path dir;
    final Main main;
    private Connection connection;

    public TestGateway(Path dir, Map<String, String> extra) throws Exception {
        this.dir = dir;
        Map<String, String> p = new HashMap<>();
        p.put("camel.management.port", String.valueOf(freePort()));
        p.put("simulator.port", "0");
        p.put("simulator.demo-otp", "");
        p.put("gateway.egs-dir", dir.resolve("egs").toString());
        p.put("gateway.broker.data-dir", dir.resolve("artemis").toString());
        p.put("gateway.vault.dir", dir.resolve("vault").toString());
        p.put("gateway.vault.password-file", dir.resolve("vault.password").toString());
        p.put("gateway.inbox", dir.resolve("inbox").toString());
        p.put("gateway.archive", dir.resolve("archive").toString());
        p.put("gateway.error", dir.resolve("error").toString());
        p.put("gateway.duplicates", dir.resolve("duplicates").toString());
        p.put("gateway.outbox", dir.resolve("outbox").toString());
        p.put("gateway.rejected", dir.resolve("rejected").toString());
        p.put("gateway.replay", dir.resolve("replay").toString());
        // intake tests read the EGS queues themselves; the chain tests switch the chain on
        p.put("gateway.chain.enabled", "false");
        p.put("gateway.database.url", "jdbc:h2:file:" + dir.resolve("h2/gateway").toAbsolutePath() + ";WRITE_DELAY=100;DB_CLOSE_DELAY=-1");
        p.put("gateway.intake.read-lock-min-age", "500");
        p.put("gateway.intake.poll-delay", "100");
        p.put("gateway.certificate-watch.delay", "600000");
        p.put("gateway.hawtio.enabled", "false");
        p.putAll(extra);
        if (!Files.isDirectory(Path.of(p.get("gateway.egs-dir")))) {
            writeEgsUnits(Path.of(p.get("gateway.egs-dir")));
        }
        main = GatewayApplication.newMain(p);
        main.start();
    }

    /**
     * Four units of the demo seller (VAT 300000000000003): demo (no addressing keys: everything else), riyadh-plant
     * (plant 1100: the SAP examples), jeddah-bu (business unit 204: the Oracle examples), and b2b-only (business
     * unit 305, standard documents only).
     */
    static void writeEgsUnits(Path egsDir) throws IOException {
        Files.createDirectories(egsDir);
        String demo = Files.readString(Path.of("config/egs/demo.properties"));
        Files.writeString(egsDir.resolve("demo.properties"), demo);
        Files.writeString(egsDir.resolve("riyadh-plant.properties"), unit(demo, "EGS-Riyadh-Plant-1100", "route.plant = 1100"));
        Files.writeString(egsDir.resolve("jeddah-bu.properties"), unit(demo, "EGS-Jeddah-BU-204", "route.business-unit = 204"));
        Files.writeString(egsDir.resolve("b2b-only.properties"), unit(demo, "EGS-B2B-305", "route.business-unit = 305")
                .replace("document-kinds = both", "document-kinds = standard"));
    }

    public static String unit(String demo, String commonName, String route) {
        return demo.replace("common-name = EGS-Demo-Riyadh-01", "common-name = " + commonName)
                .replaceAll("device-serial = .*", "device-serial = " + java.util.UUID.nameUUIDFromBytes(commonName.getBytes())) + "\n" + route + "\n";
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public synchronized Session session() throws Exception {
        if (connection == null) {
            ConnectionFactory cf = context().getRegistry().lookupByNameAndType("jmsPool", ConnectionFactory.class);
            connection = cf.createConnection();
            connection.start();
        }
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** Messages on a queue: waits up to {@code firstMillis} for the first, then takes what follows within 1.5 s. */
    List<Message> drain(String queue, long firstMillis) throws Exception {
        List<Message> out = new ArrayList<>();
        Session s = session();
        try (MessageConsumer c = s.createConsumer(s.createQueue(queue))) {
            Message m = c.receive(firstMillis);
            while (m != null) {
                out.add(m);
                m = c.receive(1500);
            }
        } finally {
            s.close();
        }
        return out;
    }

    static byte[] body(Message m) throws Exception {
        if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            return bytes;
        }
        return ((TextMessage) m).getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes a file into the inbox of a format the way an ERP should: aside, then renamed in. */
    Path drop(String format, String name, byte[] content) throws IOException {
        Path folder = dir.resolve("inbox").resolve(format);
        Files.createDirectories(folder);
        Path tmp = folder.resolve(name + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, folder.resolve(name));
    }

    public List<Path> files(String folder) throws IOException {
        Path d = dir.resolve(folder);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        // the gateway writes a hidden temporary file and renames it: one that vanishes during the walk is looked at again
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> s = Files.walk(d)) {
                return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static int freePort() {
        return io.zatcagateway.testsupport.FreePort.loopback();
    }

    /** The inbox's read locks still in the database (rows of the repository intakeFileLocks). */
    public int readLocks() throws java.sql.SQLException {
        javax.sql.DataSource ds = context().getRegistry().lookupByNameAndType("gatewayDs", javax.sql.DataSource.class);
        try (java.sql.Connection c = ds.getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'intake-files'")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        javax.sql.DataSource ds = context().getRegistry().lookupByNameAndType("gatewayDs", javax.sql.DataSource.class);
        main.stop();
        // a real restart: the embedded H2 database is closed as a stopped process would leave it
        if (ds instanceof com.zaxxer.hikari.HikariDataSource h) {
            if (h.getJdbcUrl().startsWith("jdbc:h2:")) {
                try (java.sql.Connection c = h.getConnection()) {
                    c.createStatement().execute("SHUTDOWN");
                } catch (java.sql.SQLException ignored) {
                    // already closed
                }
            }
            h.close();
        }
    }
}
