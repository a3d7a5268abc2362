package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.xml.SecureXml;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idempotency store and the queues survive a restart: a repeat after the restart is recognised and reported. */
class IntakeRestartTest {
    @TempDir
    Path dir;

    @Test
    void aDuplicateIsRecognisedAcrossARestart() throws Exception {
        byte[] invoice = Files.readAllBytes(Path.of("examples/oracle/AR-standard-invoice.xml"));
        try (TestGateway first = new TestGateway(dir, Map.of())) {
            first.drop("oracle", "first.xml", invoice);
            TestGateway.await("the first delivery archived", 20_000, () -> {
                try {
                    return first.files("archive").size() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        try (TestGateway second = new TestGateway(dir, Map.of())) {
            second.drop("oracle", "sent-again.xml", invoice);
            TestGateway.await("the repeat recorded", 20_000, () -> {
                try {
                    return second.files("duplicates").stream().anyMatch(p -> p.toString().endsWith("sent-again.xml.error.json"));
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode record = new ObjectMapper().readTree(second.files("duplicates").stream()
                    .filter(p -> p.toString().endsWith(".error.json")).findFirst().orElseThrow().toFile());
            assertEquals("INTAKE-DUPLICATE", record.at("/errors/0/code").asText());
            assertEquals("AR-2026-0001", record.get("documentNumber").asText());
            assertTrue(record.at("/errors/0/message").asText().contains("300000000000003"), record.toString());
            // the broker journal kept the first delivery across the restart; the repeat was not queued
            List<Message> queued = second.drain("zatca.egs.jeddah-bu", 10_000);
            assertEquals(1, queued.size());
            assertEquals("AR-2026-0001", InvoiceFacts.read(SecureXml.parse(TestGateway.body(queued.get(0)))).id());
            assertTrue(second.files("error").isEmpty(), second.files("error").toString());
        }
    }
}
