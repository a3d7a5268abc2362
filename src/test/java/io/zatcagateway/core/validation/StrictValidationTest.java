package io.zatcagateway.core.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.ubl.UblInvoiceBuilder;
import io.zatcagateway.core.ubl.UblInvoiceBuilder.Line;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict mode: UBL 2.1 XSD and the CEN EN 16931 schematron, with ZATCA's severities. */
class StrictValidationTest {
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");

    @BeforeAll
    static void compileOnce() {
        Preflight.warmUpStrict();
    }

    static ValidationReport strict(String xml, PreflightOptions o) throws Exception {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        return Preflight.check(SecureXml.parse(bytes), bytes, o.strict(true));
    }

    @ParameterizedTest
    @CsvSource({"INVOICE,false", "INVOICE,true", "CREDIT_NOTE,false", "CREDIT_NOTE,true", "DEBIT_NOTE,false", "DEBIT_NOTE,true"})
    void signedDocumentsOfEveryKindPassStrictMode(DocumentType type, boolean simplified) throws Exception {
        String unsigned = SAMPLES.document(type, simplified, "S-1", "S-0");
        String signed = new String(new InvoiceSigner(TestPki.identity()).sign(unsigned.getBytes(StandardCharsets.UTF_8), 3,
                InvoiceHash.GENESIS_PIH, Instant.now()).xml(), StandardCharsets.UTF_8);
        ValidationReport r = strict(signed, PreflightOptions.signed());
        assertFalse(r.hasErrors(), r::toString);
        assertTrue(r.warnings().isEmpty(), r::toString);
    }

    @Test
    void zeroRatedExemptOutOfScopeAndForeignCurrencyPassStrictMode() throws Exception {
        String xml = new UblInvoiceBuilder().seller(SAMPLES.seller()).buyer(SAMPLES.buyer())
                .issued(java.time.LocalDate.now(PreflightOptions.RIYADH).toString(), "09:00:00")
                .currency("USD", "3.75")
                .line(Line.standard("Consulting", "1", "100.00"))
                .line(Line.exempted("Export goods", "2", "50.00", "Z", "VATEX-SA-32"))
                .line(Line.exempted("Bank fee", "1", "10.00", "E", "VATEX-SA-29"))
                .line(Line.exempted("Out of scope", "1", "5.00", "O", "VATEX-SA-OOS"))
                .discount("10.00")
                .build();
        ValidationReport r = strict(xml, PreflightOptions.unsigned());
        assertFalse(r.hasErrors(), r::toString);
        assertTrue(r.warnings().isEmpty(), r::toString);
    }

    @Test
    void schemaViolationIsReportedWithItsLine() throws Exception {
        String xml = SAMPLES.document(DocumentType.INVOICE, true, "S-2", null).replace("<cbc:ProfileID>", "<cbc:Nonsense>x</cbc:Nonsense><cbc:ProfileID>");
        ValidationReport r = strict(xml, PreflightOptions.unsigned());
        assertTrue(r.errors().stream().anyMatch(f -> f.code().equals("XSD") && f.message().contains("Nonsense") && f.location().startsWith("line")), r::toString);
        // the fast mode does not run the schema
        assertFalse(Preflight.check(SecureXml.parse(xml.getBytes(StandardCharsets.UTF_8)), PreflightOptions.unsigned()).has("XSD"));
    }

    @Test
    void schematronRuleOnlyTheStrictModeChecks() throws Exception {
        String xml = SAMPLES.document(DocumentType.INVOICE, false, "S-3", null).replace("<cbc:Name>Pencil box</cbc:Name>", "");
        ValidationReport r = strict(xml, PreflightOptions.unsigned());
        assertTrue(r.warnings().stream().anyMatch(f -> f.code().equals("BR-25")), r::toString);
    }
}
