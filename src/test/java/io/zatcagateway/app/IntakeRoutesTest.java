package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.zatcagateway.testsupport.SftpDrop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The intake flow as a user meets it: the real YAML routes with the embedded broker, files in real folders, JMS, and
 * SFTP against an in-process SSH server. One gateway serves every test here; each test uses its own document numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    TestGateway gw;
    SftpDrop sftp;
    Path sftpRoot;
    final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    Session eventSession;

    @BeforeAll
    void start() throws Exception {
        sftp = SftpDrop.start(dir);
        sftpRoot = sftp.root;
        Files.createDirectories(sftpRoot.resolve("outbound/oracle"));
        gw = new TestGateway(dir.resolve("gw"), sftp.gatewaySettings());
        eventSession = gw.session();
        MessageConsumer c = eventSession.createConsumer(eventSession.createTopic("gateway.events"));
        c.setMessageListener(m -> {
            try {
                events.add(JSON.readTree(((TextMessage) m).getText()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    void stop() throws Exception {
        eventSession.close();
        gw.close();
        sftp.close();
    }

    static byte[] example(String path) throws Exception {
        return Files.readAllBytes(Path.of("examples", path));
    }

    /** The same export under another document number, so tests do not collide in the idempotency store. */
    static byte[] renumbered(String path, String from, String to) throws Exception {
        return new String(example(path), StandardCharsets.UTF_8).replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    static Document checkValidUbl(byte[] ubl) throws Exception {
        String text = new String(ubl, StandardCharsets.UTF_8);
        assertFalse(text.contains("<?zgw-route"), "addressing hints must not reach the queue");
        Document doc = SecureXml.parse(ubl);
        ValidationReport r = Preflight.check(doc, ubl, PreflightOptions.unsigned().strict(true));
        assertFalse(r.hasErrors(), r.toString());
        InvoiceFacts f = InvoiceFacts.read(doc);
        assertTrue(f.uuid() != null && f.uuid().matches("[0-9a-f-]{36}"), "UUID " + f.uuid());
        return doc;
    }

    /** The document numbers arriving on an EGS queue until {@code expected} are there (others are taken off too). */
    Set<String> numbersOn(String egs, Set<String> expected) throws Exception {
        Set<String> got = new HashSet<>();
        long deadline = System.currentTimeMillis() + 20_000;
        Session s = gw.session();
        try (MessageConsumer c = s.createConsumer(s.createQueue("zatca.egs." + egs))) {
            while (!got.containsAll(expected) && System.currentTimeMillis() < deadline) {
                Message m = c.receive(500);
                if (m != null) {
                    assertEquals(egs, m.getStringProperty("JMSXGroupID"));
                    assertEquals(null, m.getStringProperty("ZgwStylesheet"), "intake-only headers stay behind");
                    for (java.util.Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
                        String name = (String) names.nextElement();
                        assertFalse(name.startsWith("Camel") || name.startsWith("camel"), "Camel's own header " + name + " reached the EGS queue");
                    }
                    String id = InvoiceFacts.read(checkValidUbl(TestGateway.body(m))).id();
                    assertTrue(got.add(id) || !expected.contains(id), "document " + id + " queued twice");
                }
            }
            // anything of ours that follows would be a repeat
            for (Message m = c.receive(1000); m != null; m = c.receive(500)) {
                String id = InvoiceFacts.read(SecureXml.parse(TestGateway.body(m))).id();
                assertFalse(expected.contains(id), "document " + id + " queued twice");
            }
        } finally {
            s.close();
        }
        Set<String> ours = new HashSet<>(got);
        ours.retainAll(expected);
        return ours;
    }

    List<JsonNode> eventsFor(String type, String number) {
        synchronized (events) {
            return events.stream().filter(e -> e.path("type").asText().equals(type)
                    && (number == null || e.path("documentNumber").asText().equals(number))).toList();
        }
    }

    JsonNode errorRecordFor(String sourceFragment) throws Exception {
        TestGateway.await("an error record for " + sourceFragment, 15_000, () -> {
            try {
                return gw.files("error").stream().anyMatch(p -> p.toString().endsWith(".error.json") && p.toString().contains(sourceFragment));
            } catch (Exception e) {
                return false;
            }
        });
        Path json = gw.files("error").stream().filter(p -> p.toString().endsWith(".error.json") && p.toString().contains(sourceFragment))
                .findFirst().orElseThrow();
        JsonNode record = JSON.readTree(json.toFile());
        assertTrue(Files.exists(json.resolveSibling(record.get("originalFile").asText())), "the input is kept next to its reasons");
        return record;
    }

    @Test
    void everyExampleOfEachFormatArrivesAsValidUblOnItsEgsQueue() throws Exception {
        List<String> sent = new ArrayList<>();
        for (String format : List.of("sap", "oracle", "ubl")) {
            try (Stream<Path> s = Files.list(Path.of("examples", format))) {
                for (Path p : s.sorted().toList()) {
                    gw.drop(format, p.getFileName().toString(), Files.readAllBytes(p));
                    sent.add(format + "/" + p.getFileName());
                }
            }
        }
        Map<String, List<String>> expected = Map.of(
                "riyadh-plant", List.of("90000001", "90000002", "90000003", "90000004", "90000005"),
                "jeddah-bu", List.of("AR-2026-0001", "AR-2026-0002", "AR-2026-0003", "AR-2026-0004", "AR-2026-0005"),
                "demo", List.of("UBL-2026-0001", "UBL-2026-0002", "UBL-2026-0003"));
        Map<String, String> kinds = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<Message> got = gw.drain("zatca.egs." + e.getKey(), 20_000);
            List<String> numbers = new ArrayList<>();
            for (Message m : got) {
                assertEquals(e.getKey(), m.getStringProperty("JMSXGroupID"));
                Document doc = checkValidUbl(TestGateway.body(m));
                InvoiceFacts f = InvoiceFacts.read(doc);
                assertEquals(f.id(), m.getStringProperty("ZgwDocumentNumber"));
                numbers.add(f.id());
                kinds.put(f.id(), f.kindName());
            }
            Collections.sort(numbers);
            assertEquals(e.getValue(), numbers, "documents on the queue of EGS " + e.getKey());
        }
        assertEquals("simplified_invoice", kinds.get("90000002"));
        assertEquals("credit_note", kinds.get("90000003"));
        assertEquals("debit_note", kinds.get("90000004"));
        assertEquals("credit_note", kinds.get("AR-2026-0003"));
        assertEquals("debit_note", kinds.get("AR-2026-0004"));
        assertEquals("simplified_invoice", kinds.get("UBL-2026-0002"));
        // every input file archived after its documents were queued; nothing left, nothing refused
        TestGateway.await("all inputs archived", 10_000, () -> {
            try {
                return gw.files("archive").stream().filter(p -> sent.stream().anyMatch(n -> p.toString().contains(n.replace(".xml", "-"))))
                        .count() == sent.size();
            } catch (Exception ex) {
                return false;
            }
        });
        // archived as <archive>/<yyyy-MM-dd>/<format>/<name>-<HHmmssSSS>.xml, whole
        Path archive = gw.dir.resolve("archive");
        for (String n : sent) {
            List<Path> archived = gw.files("archive").stream().filter(p -> p.toString().contains(n.replace(".xml", "-"))).toList();
            assertEquals(1, archived.size(), n + " archived once: " + archived);
            String rel = archive.relativize(archived.get(0)).toString().replace('\\', '/');
            assertTrue(rel.matches("\\d{4}-\\d{2}-\\d{2}/" + java.util.regex.Pattern.quote(n.replace(".xml", "")) + "-\\d{9}\\.xml"), rel);
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(Path.of("examples").resolve(n)), Files.readAllBytes(archived.get(0))), rel);
        }
        assertTrue(gw.files("inbox").isEmpty(), gw.files("inbox").toString());
        assertTrue(gw.files("error").stream().noneMatch(p -> p.toString().contains("INVOIC02") || p.toString().contains("AR-") || p.toString().contains("UBL-")));
        TestGateway.await("13 pending events", 10_000, () -> events.stream().filter(ev -> ev.path("type").asText().endsWith(".pending")).count() >= 13);
        JsonNode credit = eventsFor("zatca.credit_note.pending", "90000003").get(0);
        assertEquals("riyadh-plant", credit.get("egs").asText());
        assertEquals("pending", credit.get("status").asText());
        assertEquals("sap/INVOIC02-batch-simplified-invoice-credit-debit.xml", credit.get("source").asText());
        assertTrue(credit.get("documentId").asText().length() == 36 && credit.has("issueTime") && credit.has("eventId"), credit.toString());
    }

    @Test
    void jmsIntakeTellsTheFormatByHeaderOrRootElement() throws Exception {
        Session s = gw.session();
        try (MessageProducer p = s.createProducer(s.createQueue("zatca.intake"))) {
            BytesMessage withHeader = s.createBytesMessage();
            withHeader.writeBytes(renumbered("oracle/AR-standard-invoice.xml", "AR-2026-0001", "JMS-0001"));
            withHeader.setStringProperty("ZgwFormat", "oracle");
            p.send(withHeader);
            TextMessage byRoot = s.createTextMessage(new String(renumbered("sap/INVOIC02-standard-invoice.xml", "90000001", "JMS-0002"), StandardCharsets.UTF_8));
            p.send(byRoot);
        } finally {
            s.close();
        }
        assertEquals(Set.of("JMS-0001"), numbersOn("jeddah-bu", Set.of("JMS-0001")));
        assertEquals(Set.of("JMS-0002"), numbersOn("riyadh-plant", Set.of("JMS-0002")));
    }

    @Test
    void sftpDropIsTakenInAndArchivedOnTheServer() throws Exception {
        Path target = sftpRoot.resolve("outbound/oracle/AR-sftp.xml");
        Files.write(sftpRoot.resolve("outbound/oracle/.AR-sftp.xml.part"), renumbered("oracle/AR-credit-memo.xml", "AR-2026-0003", "SFTP-0003"));
        Files.move(sftpRoot.resolve("outbound/oracle/.AR-sftp.xml.part"), target);
        assertEquals(Set.of("SFTP-0003"), numbersOn("jeddah-bu", Set.of("SFTP-0003")));
        TestGateway.await("the remote file archived", 10_000, () -> !Files.exists(target));
        try (Stream<Path> s = Files.walk(sftpRoot.resolve("outbound/.archive"))) {
            assertEquals(1, s.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void aFileWrittenSlowlyInChunksIsTakenOnceAndWhole() throws Exception {
        byte[] content = renumbered("ubl/UBL-standard-invoice.xml", "UBL-2026-0001", "SLOW-0001");
        Path file = gw.dir.resolve("inbox/ubl/slow.xml");
        try (OutputStream out = Files.newOutputStream(file)) {
            int chunk = content.length / 8 + 1;
            for (int i = 0; i < content.length; i += chunk) {
                out.write(content, i, Math.min(chunk, content.length - i));
                out.flush();
                Thread.sleep(300);
            }
        }
        assertEquals(Set.of("SLOW-0001"), numbersOn("demo", Set.of("SLOW-0001")), "taken exactly once");
        assertTrue(gw.files("error").stream().noneMatch(p -> p.toString().contains("slow")), "never taken half-written: " + gw.files("error"));
    }

    @Test
    void oneBadIdocDoesNotBlockItsNeighbours() throws Exception {
        String batch = new String(renumbered("sap/INVOIC02-batch-simplified-invoice-credit-debit.xml", "9000000", "NB-000"), StandardCharsets.UTF_8);
        // the second IDoc loses its document date segment E1EDK03 IDDAT 012
        int second = batch.indexOf("<IDOC BEGIN", batch.indexOf("<IDOC BEGIN") + 1);
        int date = batch.indexOf("<IDDAT>012</IDDAT>", second);
        String broken = batch.substring(0, date) + "<IDDAT>999</IDDAT>" + batch.substring(date + "<IDDAT>012</IDDAT>".length());
        gw.drop("sap", "batch-with-a-bad-idoc.xml", broken.getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("NB-0002", "NB-0004"), numbersOn("riyadh-plant", Set.of("NB-0002", "NB-0003", "NB-0004")));
        JsonNode record = errorRecordFor("batch-with-a-bad-idoc-IDOC-2");
        assertEquals("SOURCE-MISSING-FIELD", record.at("/errors/0/code").asText());
        assertTrue(record.at("/errors/0/message").asText().contains("E1EDK03 IDDAT 012"), record.toString());
        assertEquals("IDOC 2 of 3", record.get("part").asText());
    }

    @Test
    void hostileAndBrokenInputsEndInTheErrorFolderWithAReason() throws Exception {
        String ubl = new String(example("ubl/UBL-standard-invoice.xml"), StandardCharsets.UTF_8);
        Map<String, byte[]> ublFiles = new TreeMap<>();
        ublFiles.put("not-xml.xml", "%PDF-1.7 this is not XML".getBytes(StandardCharsets.UTF_8));
        ublFiles.put("truncated.xml", ubl.substring(0, ubl.length() / 2).getBytes(StandardCharsets.UTF_8));
        ublFiles.put("xxe.xml", ("<?xml version=\"1.0\"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Invoice>&x;</Invoice>").getBytes(StandardCharsets.UTF_8));
        ublFiles.put("entity-bomb.xml", ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>").getBytes(StandardCharsets.UTF_8));
        ublFiles.put("latin1.xml", ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + ubl.substring(ubl.indexOf("?>") + 2)
                .replace("Demo Trading Company", "D\u00e9mo Trading")).getBytes(StandardCharsets.ISO_8859_1));
        ublFiles.put("undeclared-latin1.xml", ubl.replace("Demo Trading Company", "D\u00e9mo Trading").replace("UBL-2026-0001", "HOST-0001")
                .getBytes(StandardCharsets.ISO_8859_1));
        ublFiles.put("unknown-root.xml", "<?xml version=\"1.0\"?><Order xmlns=\"urn:example:order\"><ID>1</ID></Order>".getBytes(StandardCharsets.UTF_8));
        ublFiles.put("unknown-egs.xml", ubl.replace("300000000000003", "311111111111113").replace("UBL-2026-0001", "HOST-0002")
                .getBytes(StandardCharsets.UTF_8));
        ublFiles.put("rule-violation.xml", ubl.replace("name=\"0100000\"", "name=\"0300000\"")
                .replace("UBL-2026-0001", "HOST-0003").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : ublFiles.entrySet()) {
            gw.drop("ubl", e.getKey(), e.getValue());
        }
        // the same broken XML into an ERP folder: there the input is parsed into the stylesheet's tree, not a DOM
        String idoc = new String(example("sap/INVOIC02-standard-invoice.xml"), StandardCharsets.UTF_8);
        Map<String, byte[]> sapFiles = new TreeMap<>();
        for (String name : List.of("not-xml.xml", "xxe.xml", "entity-bomb.xml", "unknown-root.xml")) {
            sapFiles.put(name, ublFiles.get(name));
        }
        sapFiles.put("truncated.xml", idoc.substring(0, idoc.length() / 2).getBytes(StandardCharsets.UTF_8));
        sapFiles.put("latin1.xml", ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + idoc.substring(idoc.indexOf("?>") + 2)
                .replaceFirst("<NAME1>", "<NAME1>D\u00e9mo ")).getBytes(StandardCharsets.ISO_8859_1));
        sapFiles.put("undeclared-latin1.xml", idoc.replaceFirst("<NAME1>", "<NAME1>D\u00e9mo ").getBytes(StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, byte[]> e : sapFiles.entrySet()) {
            gw.drop("sap", e.getKey(), e.getValue());
        }
        // 50 MB: refused by its size before it is read
        Path big = gw.dir.resolve("inbox/ubl/big.xml.tmp");
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write("<?xml version=\"1.0\"?><Invoice>".getBytes(StandardCharsets.UTF_8));
            byte[] pad = "<cbc:Note>padding padding padding padding padding padding padding padding</cbc:Note>\n".repeat(100).getBytes(StandardCharsets.UTF_8);
            for (long n = 0; n < 50L * 1024 * 1024; n += pad.length) {
                out.write(pad);
            }
        }
        Files.move(big, gw.dir.resolve("inbox/ubl/big.xml"));
        gw.drop("sap", "idoc-missing-segment.xml", new String(example("sap/INVOIC02-standard-invoice.xml"), StandardCharsets.UTF_8)
                .replaceAll("(?s)<E1EDK01 SEGMENT=\"1\">.*?</E1EDK01>", "").getBytes(StandardCharsets.UTF_8));
        // a name that tries to leave the folder, by JMS
        Session s = gw.session();
        try (MessageProducer p = s.createProducer(s.createQueue("zatca.intake"))) {
            TextMessage m = s.createTextMessage(ubl.replace("UBL-2026-0001", "HOST-0004"));
            m.setStringProperty("ZgwSource", "../../etc/cron.d/evil.xml");
            p.send(m);
        } finally {
            s.close();
        }

        Map<String, String> expected = new TreeMap<>();
        expected.put("ubl_not-xml.xml", "XML-MALFORMED");
        expected.put("ubl_truncated.xml", "XML-MALFORMED");
        expected.put("ubl_xxe.xml", "XML-DOCTYPE");
        expected.put("ubl_entity-bomb.xml", "XML-DOCTYPE");
        expected.put("ubl_latin1.xml", "XML-ENCODING");
        expected.put("ubl_undeclared-latin1.xml", "XML-ENCODING");
        expected.put("ubl_unknown-root.xml", "INTAKE-UNKNOWN-ROOT");
        expected.put("ubl_unknown-egs.xml", "INTAKE-UNKNOWN-EGS");
        expected.put("ubl_rule-violation.xml", "BR-KSA-06");
        expected.put("ubl_big.xml", "INTAKE-TOO-LARGE");
        expected.put("sap_idoc-missing-segment", "SAP-MISSING-SEGMENT");
        expected.put("sap_not-xml.xml", "XML-MALFORMED");
        expected.put("sap_truncated.xml", "XML-MALFORMED");
        expected.put("sap_xxe.xml", "XML-DOCTYPE");
        expected.put("sap_entity-bomb.xml", "XML-DOCTYPE");
        expected.put("sap_latin1.xml", "XML-ENCODING");
        expected.put("sap_undeclared-latin1.xml", "XML-ENCODING");
        expected.put("sap_unknown-root.xml", "INTAKE-UNKNOWN-ROOT");
        expected.put("etc_cron.d_evil.xml", "INTAKE-FILE-NAME");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode record = errorRecordFor(e.getKey());
            List<String> codes = new ArrayList<>();
            record.get("errors").forEach(x -> codes.add(x.get("code").asText()));
            assertTrue(codes.contains(e.getValue()), e.getKey() + ": " + record);
            record.get("errors").forEach(x -> assertFalse(x.get("message").asText().isBlank(), record.toString()));
        }
        assertTrue(errorRecordFor("ubl_unknown-egs.xml").at("/errors/0/message").asText().contains("311111111111113"));
        // nothing was written outside the error folder, and the XXE target was never read
        try (Stream<Path> all = Files.walk(gw.dir)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("evil.xml") && !p.startsWith(gw.dir.resolve("error"))));
        }
        assertTrue(gw.files("error").stream().filter(p -> p.toString().endsWith("xxe.xml")).allMatch(p -> {
            try {
                return !Files.readString(p).contains("root:");
            } catch (Exception ex) {
                return false;
            }
        }));
        TestGateway.await("a failure event per refusal", 10_000, () -> eventsFor("zatca.intake.failed", null).size() >= expected.size());
        JsonNode unknown = eventsFor("zatca.intake.failed", null).stream().filter(e -> e.path("source").asText().endsWith("unknown-egs.xml"))
                .findFirst().orElseThrow();
        assertEquals("INTAKE-UNKNOWN-EGS", unknown.at("/errors/0/code").asText());
        // and the routes still run
        gw.drop("ubl", "after-the-storm.xml", ubl.replace("UBL-2026-0001", "HOST-0005").getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("HOST-0005"), numbersOn("demo", Set.of("HOST-0001", "HOST-0002", "HOST-0003", "HOST-0004", "HOST-0005")),
                "only the good document is queued");
        assertTrue(gw.context().getRouteController().getRouteStatus("intake-folder").isStarted());
    }

    @Test
    void aDocumentForAnEgsThatCannotIssueItsKindIsRefused() throws Exception {
        String simplified = new String(renumbered("oracle/AR-simplified-invoice.xml", "AR-2026-0002", "KIND-0002"), StandardCharsets.UTF_8)
                .replace("<ORG_ID>204</ORG_ID>", "<ORG_ID>305</ORG_ID>");
        gw.drop("oracle", "b2c-to-b2b-egs.xml", simplified.getBytes(StandardCharsets.UTF_8));
        JsonNode record = errorRecordFor("b2c-to-b2b-egs");
        assertEquals("INTAKE-EGS-KIND", record.at("/errors/0/code").asText());
        assertTrue(record.at("/errors/0/message").asText().contains("b2b-only"), record.toString());
    }
}
