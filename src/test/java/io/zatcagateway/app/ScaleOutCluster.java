package io.zatcagateway.app;

import com.zaxxer.hikari.HikariDataSource;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import io.zatcagateway.testsupport.ExternalArtemis;
import io.zatcagateway.testsupport.LocalPostgres;
import io.zatcagateway.testsupport.SftpDrop;
import jakarta.jms.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The external profile as an operator runs it: a standalone Artemis broker process, a PostgreSQL server, the Fatoora
 * simulator and an SFTP server (in this JVM, so they outlive the gateways), and N gateway JVMs started with the run command on the shipped
 * configuration plus the external settings. Every instance shares the inbox, outbox, vault and EGS files. The broker
 * password reaches the gateways through ZGW_BROKER_PASSWORD, never through a file. Used by ScaleOutTest and the
 * scale-out bench.
 */
final class ScaleOutCluster implements AutoCloseable {
    final Path dir;
    final LocalPostgres pg;
    final ExternalArtemis broker;
    final FatooraSimulator sim;
    final Properties settings = new Properties();
    final List<GatewayProcess> gateways = new ArrayList<>();
    /** One SFTP drop (in-process SSH server) polled by every instance, as an ERP's outbound directory would be. */
    final SftpDrop sftp;
    final Path sftpRoot;
    private final HikariDataSource ds;
    final ChainStore store;

    /** Null (and {@link LocalPostgres#whyNot} says why) when PostgreSQL cannot be started here. */
    static ScaleOutCluster start(Path dir, Map<String, String> extra) throws Exception {
        // its own temporary folder: PostgreSQL runs as the postgres user, which cannot enter this test's private one
        LocalPostgres pg = LocalPostgres.start(Files.createTempDirectory("zgw-pg"));
        if (pg == null) {
            return null;
        }
        try {
            ScaleOutCluster cluster = new ScaleOutCluster(dir, pg, extra);
            // a bench or test stopped from outside (Ctrl+C, SIGTERM) still stops its broker, database and gateways
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception ignored) {
                    // best effort at exit
                }
            }));
            return cluster;
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
    }

    private ScaleOutCluster(Path dir, LocalPostgres pg, Map<String, String> extra) throws Exception {
        this.dir = dir;
        this.pg = pg;
        this.broker = ExternalArtemis.start(dir);
        this.sim = new FatooraSimulator(SimulatorConfig.of("simulator.port", "0")).start();
        sftp = SftpDrop.start(dir);
        sftpRoot = sftp.root;
        Properties p = settings;
        // the external profile: no embedded broker, simulator or H2; the external URLs
        p.setProperty("gateway.broker.embedded", "false");
        p.setProperty("gateway.broker.url", broker.url());
        p.setProperty("gateway.broker.user", ExternalArtemis.USER);
        p.setProperty("gateway.database.url", pg.jdbcUrl());
        p.setProperty("gateway.database.user", "postgres");
        p.setProperty("gateway.database.password", "");
        p.setProperty("gateway.simulator.embedded", "false");
        p.setProperty("gateway.simulator.base-url", sim.baseUrl());
        p.setProperty("gateway.demo", "false");
        // shared by every instance
        p.setProperty("gateway.egs-dir", dir.resolve("egs").toString());
        p.setProperty("gateway.vault.dir", dir.resolve("vault").toString());
        p.setProperty("gateway.vault.password-file", dir.resolve("vault.password").toString());
        for (String f : List.of("inbox", "archive", "error", "duplicates", "outbox", "rejected", "replay")) {
            p.setProperty("gateway." + f, dir.resolve(f).toString());
        }
        p.putAll(sftp.gatewaySettings());
        p.setProperty("gateway.hawtio.enabled", "false");
        p.setProperty("camel.management.port", "0");
        p.putAll(ChainRoutesTest.chainSettings());
        p.putAll(extra);

        if (!extra.containsKey("gateway.egs-dir")) {
            TestGateway.writeEgsUnits(dir.resolve("egs"));
        }
        ChainFixture.onboardAll(p, sim);
        ds = new HikariDataSource();
        ds.setJdbcUrl(pg.jdbcUrl());
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(2);
        store = new ChainStore(ds);
    }

    /** The configuration file of instance {@code n}: the shipped one, then these settings (a later line wins). */
    Path config(int n) throws Exception {
        return ChainFixture.writeConfig(dir.resolve("gateway-" + n + ".properties"), settings, "gateway.instance = gw-" + n + "\n");
    }

    /** Starts instance {@code n} (1-based) and waits until it runs. */
    GatewayProcess startGateway(int n) throws Exception {
        GatewayProcess g = GatewayProcess.start(config(n), dir.resolve("gateway-" + n + ".log"),
                Map.of("ZGW_BROKER_PASSWORD", ExternalArtemis.PASSWORD), List.of("-Xms256m", "-Xmx768m"));
        synchronized (gateways) {
            while (gateways.size() < n) {
                gateways.add(null);
            }
            gateways.set(n - 1, g);
        }
        return g;
    }

    /** Read-lock rows of inbox and SFTP files still in the shared database (0 once every file is done). */
    int fileLocksHeld() {
        try (java.sql.Connection c = ds.getConnection();
             java.sql.ResultSet r = c.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'intake-files'")) {
            r.next();
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void kill(int n) throws Exception {
        Process p = gateways.get(n - 1).process();
        p.destroyForcibly(); // SIGKILL
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("gateway " + n + " did not die");
        }
    }

    Connection jms() throws Exception {
        Connection c = new ActiveMQConnectionFactory(broker.url(), ExternalArtemis.USER, ExternalArtemis.PASSWORD).createConnection();
        c.start();
        return c;
    }

    private boolean closed;

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (GatewayProcess g : gateways) {
            if (g != null && g.process().isAlive()) {
                g.process().destroy();
            }
        }
        for (GatewayProcess g : gateways) {
            if (g != null && !g.process().waitFor(30, TimeUnit.SECONDS)) {
                g.process().destroyForcibly();
            }
        }
        ds.close();
        sim.close();
        sftp.close();
        broker.close();
        pg.close();
    }
}
