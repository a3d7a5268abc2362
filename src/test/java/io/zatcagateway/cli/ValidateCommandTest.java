package io.zatcagateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new GatewayCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return new Run(cl.execute(args), out.toString());
    }

    @Test
    void aSignedChainPassesAndABrokenLinkFails() throws Exception {
        SampleDocuments samples = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
        InvoiceSigner signer = new InvoiceSigner(TestPki.identity());
        String pih = InvoiceHash.GENESIS_PIH;
        Path[] files = new Path[3];
        for (int i = 0; i < 3; i++) {
            SignedInvoice s = signer.sign(samples.document(DocumentType.INVOICE, i != 1, "V-" + i, null).getBytes(StandardCharsets.UTF_8),
                    i + 1, pih, Instant.now());
            files[i] = Files.write(dir.resolve("doc-" + i + ".xml"), s.xml());
            pih = s.invoiceHash();
        }
        Run ok = run("validate", "--chain", "--pih", InvoiceHash.GENESIS_PIH, files[0].toString(), files[1].toString(), files[2].toString());
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("3 passed, 0 failed"), ok.out());

        Run gap = run("validate", "--chain", "--pih", InvoiceHash.GENESIS_PIH, files[0].toString(), files[2].toString());
        assertEquals(1, gap.exit(), gap.out());
        assertTrue(gap.out().contains("PIH-MISMATCH") && gap.out().contains("ICV-MISMATCH"), gap.out());
    }

    @Test
    void ruleViolationsAndHostileFilesExitOne() throws Exception {
        SampleDocuments samples = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
        Path bad = Files.writeString(dir.resolve("bad.xml"), samples.document(DocumentType.CREDIT_NOTE, false, "V-9", "V-1")
                .replaceAll("<cbc:InstructionNote>[^<]*</cbc:InstructionNote>", ""));
        Run r = run("validate", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("ERROR BR-KSA-17"), r.out());

        Path xxe = Files.writeString(dir.resolve("xxe.xml"), "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
        Run h = run("validate", xxe.toString());
        assertEquals(1, h.exit());
        assertTrue(h.out().contains("XML-DOCTYPE"), h.out());
        assertTrue(!h.out().contains("root:"), h.out());
    }

    @Test
    void verifyChecksTheStampOfAnyKind() throws Exception {
        SampleDocuments samples = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
        SignedInvoice s = new InvoiceSigner(TestPki.identity()).sign(samples.document(DocumentType.DEBIT_NOTE, false, "V-5", "V-1")
                .getBytes(StandardCharsets.UTF_8), 5, InvoiceHash.GENESIS_PIH, Instant.now());
        Path ok = Files.write(dir.resolve("ok.xml"), s.xml());
        Run good = run("verify", ok.toString());
        assertEquals(0, good.exit(), good.out());
        assertTrue(good.out().contains("VERIFIED (invoice hash " + s.invoiceHash() + ")"), good.out());
        Path bad = Files.writeString(dir.resolve("bad.xml"), new String(s.xml(), StandardCharsets.UTF_8).replace("Notebook A4", "Notebook A5"));
        Run tampered = run("verify", bad.toString());
        assertEquals(1, tampered.exit(), tampered.out());
        assertTrue(tampered.out().contains("SIG-INVOICE-HASH"), tampered.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("validate").exit());
    }

    @Test
    void erpExportsAreTransformedAndEachDocumentChecked() throws Exception {
        Run ok = run("validate", "examples/sap/INVOIC02-batch-simplified-invoice-credit-debit.xml", "examples/oracle/AR-export-mixed-usd.xml");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("[sap, IDOC 3 of 3]: PASSED") && ok.out().contains("[oracle]: PASSED") && ok.out().contains("4 passed, 0 failed"), ok.out());
        String broken = Files.readString(Path.of("examples/sap/INVOIC02-standard-invoice.xml")).replace("<PARVW>RS</PARVW>", "<PARVW>ZZ</PARVW>");
        Run bad = run("validate", Files.writeString(dir.resolve("broken-idoc.xml"), broken).toString());
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("ERROR SAP-MISSING-SEGMENT") && bad.out().contains("PARVW RS"), bad.out());
        Run unknown = run("validate", Files.writeString(dir.resolve("order.xml"), "<Order xmlns=\"urn:x\"/>").toString());
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("INTAKE-UNKNOWN-ROOT"), unknown.out());
    }
}
