package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.testsupport.LocalPostgres;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external database profile, by configuration only: the gateway's idempotent intake on a real PostgreSQL
 * (started from the machine's binaries), a duplicate recognised across a restart. Skipped, saying why, where
 * PostgreSQL is not installed.
 */
class PostgresIntakeTest {
    @TempDir
    Path dir;

    @Test
    void intakeIdempotencyOnPostgresqlSurvivesARestart() throws Exception {
        Path pgParent = Files.createTempDirectory("zgw-pg");
        LocalPostgres pg = LocalPostgres.start(pgParent);
        if (pg == null) {
            System.out.println("PostgresIntakeTest SKIPPED: " + LocalPostgres.whyNot);
        }
        Assumptions.assumeTrue(pg != null, () -> "skipped: " + LocalPostgres.whyNot);
        try (pg) {
            Map<String, String> external = Map.of(
                    "gateway.database.url", pg.jdbcUrl(),
                    "gateway.database.user", "postgres",
                    "gateway.database.password", "");
            byte[] invoice = Files.readAllBytes(Path.of("examples/oracle/AR-debit-memo.xml"));
            try (TestGateway first = new TestGateway(dir, external)) {
                first.drop("oracle", "first.xml", invoice);
                List<Message> queued = first.drain("zatca.egs.jeddah-bu", 20_000);
                assertEquals(1, queued.size());
                assertEquals("AR-2026-0004", InvoiceFacts.read(SecureXml.parse(TestGateway.body(queued.get(0)))).id());
            }
            try (TestGateway second = new TestGateway(dir, external)) {
                second.drop("oracle", "again.xml", invoice);
                TestGateway.await("the repeat recorded", 20_000, () -> {
                    try {
                        return second.files("duplicates").stream().anyMatch(p -> p.toString().endsWith("again.xml.error.json"));
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertTrue(second.drain("zatca.egs.jeddah-bu", 3_000).isEmpty(), "the repeat was not queued");
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery("select messageid from camel_messageprocessed where processorname = 'intake'")) {
                assertTrue(rs.next());
                assertEquals("300000000000003:AR-2026-0004", rs.getString(1), "the key is in PostgreSQL");
            }
        }
    }
}
