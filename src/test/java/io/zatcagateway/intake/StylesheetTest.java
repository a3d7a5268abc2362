package io.zatcagateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.SecureXml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The shipped stylesheets against the shipped examples: every document they make passes strict pre-flight (UBL XSD,
 * EN 16931 schematron, KSA rules), the mapping tables' promises hold field by field, and broken exports fail with the
 * stylesheet's own codes.
 */
class StylesheetTest {
    /** Through the same helper the validate command uses; refusals come back as findings with their codes. */
    static byte[] transform(String stylesheet, byte[] input) throws IntakeRejected {
        return Stylesheets.transform(stylesheet, input);
    }

    static Intake intake() {
        return new Intake(IntakeFormat.all(props()), null, 10 << 20);
    }

    static java.util.Properties props() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("gateway.format.sap", "xslt/sap-idoc-to-ubl.xsl; root=INVOIC02; split=IDOC");
        p.setProperty("gateway.format.oracle", "xslt/oracle-ar-to-ubl.xsl; root=RA_CUSTOMER_TRX");
        return p;
    }

    /** Every document of an example file, as UBL. */
    static List<byte[]> documents(String example) throws Exception {
        String format = example.substring(0, example.indexOf('/'));
        List<Intake.Part> parts = intake().open(example, format, Files.readAllBytes(Path.of("examples", example)));
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        for (Intake.Part p : parts) {
            out.add(Intake.stripRoutePis(transform(p.format().stylesheet(), p.bytes())));
        }
        return out;
    }

    static Document strictValid(byte[] ubl) throws Exception {
        Document doc = SecureXml.parse(ubl);
        ValidationReport r = Preflight.check(doc, ubl, PreflightOptions.unsigned().strict(true));
        assertFalse(r.hasErrors(), new String(ubl, StandardCharsets.UTF_8) + "\n" + r);
        assertTrue(r.warnings().isEmpty(), r.toString());
        return doc;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sap/INVOIC02-standard-invoice.xml", "sap/INVOIC02-batch-simplified-invoice-credit-debit.xml",
            "sap/INVOIC02-export-mixed-usd.xml", "oracle/AR-standard-invoice.xml", "oracle/AR-simplified-invoice.xml",
            "oracle/AR-credit-memo.xml", "oracle/AR-debit-memo.xml", "oracle/AR-export-mixed-usd.xml"})
    void everyExampleBecomesStrictlyValidUbl(String example) throws Exception {
        for (byte[] ubl : documents(example)) {
            strictValid(ubl);
        }
    }

    @Test
    void shippedUblExamplesAreStrictlyValid() throws Exception {
        for (String f : List.of("UBL-standard-invoice.xml", "UBL-simplified-invoice.xml", "UBL-standard-credit-note.xml")) {
            strictValid(Files.readAllBytes(Path.of("examples/ubl", f)));
        }
    }

    @Test
    void sapMappingFieldByField() throws Exception {
        Document inv = strictValid(documents("sap/INVOIC02-standard-invoice.xml").get(0));
        InvoiceFacts f = InvoiceFacts.read(inv);
        assertEquals("90000001", f.id());
        assertEquals("388", f.typeCode());
        assertEquals("0100000", inv.getDocumentElement().getElementsByTagNameNS("*", "InvoiceTypeCode").item(0).getAttributes().getNamedItem("name").getNodeValue());
        assertEquals("2026-11-20", f.issueDate());
        assertEquals("10:15:00", f.issueTime());
        assertEquals("2026-11-20", f.supplyDate());
        assertEquals("300000000000003", f.sellerVat());
        assertEquals("399999999800003", f.buyerVat());
        String x = new String(documents("sap/INVOIC02-standard-invoice.xml").get(0), StandardCharsets.UTF_8);
        // 4 x 12.50 + 2 x 180.00 per 100 + 1.5 h x 200.00 = 353.60; discount 10.00 (E1EDK05); VAT 15% of 343.60 = 51.54
        assertTrue(x.contains("<cbc:LineExtensionAmount currencyID=\"SAR\">353.60</cbc:LineExtensionAmount>"), x);
        assertTrue(x.contains("<cbc:AllowanceTotalAmount currencyID=\"SAR\">10.00</cbc:AllowanceTotalAmount>"), x);
        assertTrue(x.contains("<cbc:TaxAmount currencyID=\"SAR\">51.54</cbc:TaxAmount>"), x);
        assertTrue(x.contains("<cbc:PayableAmount currencyID=\"SAR\">395.14</cbc:PayableAmount>"), x);
        assertTrue(x.contains("<cbc:BaseQuantity unitCode=\"PCE\">100</cbc:BaseQuantity>"), x);
        assertTrue(x.contains("<cac:SellersItemIdentification><cbc:ID>MAT-220</cbc:ID>"), x);
        assertTrue(x.contains("unitCode=\"HUR\">1.5<"), x);

        List<byte[]> batch = documents("sap/INVOIC02-batch-simplified-invoice-credit-debit.xml");
        assertEquals(3, batch.size());
        InvoiceFacts simplified = InvoiceFacts.read(SecureXml.parse(batch.get(0)));
        assertTrue(simplified.simplified());
        InvoiceFacts credit = InvoiceFacts.read(SecureXml.parse(batch.get(1)));
        assertEquals("381", credit.typeCode());
        assertEquals("90000001", credit.billingReference());
        assertTrue(new String(batch.get(1), StandardCharsets.UTF_8).contains("<cbc:InstructionNote>Returned goods</cbc:InstructionNote>"));
        assertEquals("383", InvoiceFacts.read(SecureXml.parse(batch.get(2))).typeCode());

        String usd = new String(documents("sap/INVOIC02-export-mixed-usd.xml").get(0), StandardCharsets.UTF_8);
        // VAT 15% of 34.00 = 5.10 USD = 19.13 SAR (3.75); zero-rated and exempt lines carry their reasons
        assertTrue(usd.contains("<cbc:TaxAmount currencyID=\"SAR\">19.13</cbc:TaxAmount>"), usd);
        assertTrue(usd.contains("<cbc:TaxExemptionReasonCode>VATEX-SA-35</cbc:TaxExemptionReasonCode>"), usd);
        assertTrue(usd.contains("<cbc:TaxExemptionReasonCode>VATEX-SA-29</cbc:TaxExemptionReasonCode>"), usd);
    }

    @Test
    void addressingHintsComeFromTheExportAndLeaveNoTrace() throws Exception {
        List<Intake.Part> parts = intake().open("x", "sap", Files.readAllBytes(Path.of("examples/sap/INVOIC02-standard-invoice.xml")));
        String raw = new String(transform(parts.get(0).format().stylesheet(), parts.get(0).bytes()), StandardCharsets.UTF_8);
        assertTrue(raw.contains("<?zgw-route company-code=1000?>") && raw.contains("<?zgw-route plant=1100?>"), raw);
        String clean = new String(Intake.stripRoutePis(raw.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertFalse(clean.contains("zgw-route"));
        assertTrue(clean.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice "), clean.substring(0, 80));
        parts = intake().open("y", "oracle", Files.readAllBytes(Path.of("examples/oracle/AR-standard-invoice.xml")));
        raw = new String(transform(parts.get(0).format().stylesheet(), parts.get(0).bytes()), StandardCharsets.UTF_8);
        assertTrue(raw.contains("<?zgw-route business-unit=204?>"), raw);
    }

    @Test
    void oracleMappingFieldByField() throws Exception {
        String inv = new String(documents("oracle/AR-standard-invoice.xml").get(0), StandardCharsets.UTF_8);
        // lines 3 x 450 + 1200 = 2550; discount line -150 becomes an allowance; freight 75 a charge; VAT 15% of 2475
        assertTrue(inv.contains("<cbc:LineExtensionAmount currencyID=\"SAR\">2550.00</cbc:LineExtensionAmount>"), inv);
        assertTrue(inv.contains("<cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>Volume discount</cbc:AllowanceChargeReason>"), inv);
        assertTrue(inv.contains("<cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>"), inv);
        assertTrue(inv.contains("<cbc:TaxExclusiveAmount currencyID=\"SAR\">2475.00</cbc:TaxExclusiveAmount>"), inv);
        assertTrue(inv.contains("<cbc:PayableAmount currencyID=\"SAR\">2846.25</cbc:PayableAmount>"), inv);
        assertTrue(inv.contains("<cbc:IssueTime>11:30:00</cbc:IssueTime>"), inv);
        Document cm = strictValid(documents("oracle/AR-credit-memo.xml").get(0));
        InvoiceFacts f = InvoiceFacts.read(cm);
        assertEquals("381", f.typeCode());
        assertEquals("AR-2026-0001", f.billingReference());
        assertEquals("517.50", f.payableAmount(), "credit memo amounts turned positive");
        assertEquals("1", Dom.text(cm.getDocumentElement(), "cac:InvoiceLine", "cbc:InvoicedQuantity"));
        assertTrue(InvoiceFacts.read(SecureXml.parse(documents("oracle/AR-simplified-invoice.xml").get(0))).simplified());
    }

    @Test
    void brokenExportsFailWithTheStylesheetsOwnCodes() throws Exception {
        String sap = Files.readString(Path.of("examples/sap/INVOIC02-standard-invoice.xml"));
        String wrongTotal = sap.replace("<SUMME>343.60</SUMME>", "<SUMME>343.70</SUMME>");
        assertTrue(code(transformError("xslt/sap-idoc-to-ubl.xsl", wrongTotal)).startsWith("SOURCE-TOTALS"));
        // without E1EDS01 the header tax segments E1EDK04 are the VAT control
        String headerTaxOnly = sap.replaceAll("(?s)    <E1EDS01 SEGMENT=\"1\">.*?</E1EDS01>\n", "");
        assertTrue(new String(transform("xslt/sap-idoc-to-ubl.xsl", headerTaxOnly.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8).contains("51.54"));
        String wrongHeaderTax = headerTaxOnly.replace("<MWSBT>51.54</MWSBT>", "<MWSBT>61.54</MWSBT>");
        assertTrue(code(transformError("xslt/sap-idoc-to-ubl.xsl", wrongHeaderTax)).startsWith("SOURCE-TOTALS"));
        String unknownTaxCode = sap.replaceFirst("<E1EDP04 SEGMENT=\"1\">\\s*<MWSKZ>S1</MWSKZ>\\s*<MSATZ>15.000</MSATZ>",
                "<E1EDP04 SEGMENT=\"1\"><MWSKZ>Q9</MWSKZ><MSATZ>0.000</MSATZ>");
        assertTrue(code(transformError("xslt/sap-idoc-to-ubl.xsl", unknownTaxCode)).startsWith("SAP-TAX-CODE"));
        String noSeller = sap.replace("<PARVW>RS</PARVW>", "<PARVW>XX</PARVW>");
        assertTrue(code(transformError("xslt/sap-idoc-to-ubl.xsl", noSeller)).startsWith("SAP-MISSING-SEGMENT"));
        String oracle = Files.readString(Path.of("examples/oracle/AR-standard-invoice.xml"));
        assertTrue(code(transformError("xslt/oracle-ar-to-ubl.xsl", oracle.replace("<TRX_CLASS>INV</TRX_CLASS>", "<TRX_CLASS>BR</TRX_CLASS>"))).startsWith("ORACLE-TRX-CLASS"));
        assertTrue(code(transformError("xslt/oracle-ar-to-ubl.xsl", oracle.replace("<INVOICE_CURRENCY_CODE>SAR", "<INVOICE_CURRENCY_CODE>EUR"))).startsWith("SOURCE-MISSING-FIELD"));
    }

    static IntakeRejected transformError(String stylesheet, String input) {
        return assertThrows(IntakeRejected.class, () -> transform(stylesheet, input.getBytes(StandardCharsets.UTF_8)));
    }

    static String code(IntakeRejected e) {
        return e.findings().get(0).code();
    }

    /**
     * The route's way: an ERP file of one document is parsed once, into the tree the stylesheet reads, and the
     * stylesheet writes a DOM; that UBL passes strict pre-flight like the bytes the validate command makes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sap/INVOIC02-standard-invoice.xml", "oracle/AR-standard-invoice.xml"})
    void anInputParsedOnceIntoATreeBecomesTheSameValidUbl(String example) throws Exception {
        String format = example.substring(0, example.indexOf('/'));
        List<Intake.Part> parts = intake().open(example, format, Files.readAllBytes(Path.of("examples", example)));
        assertEquals(1, parts.size());
        assertTrue(parts.get(0).tree() != null, "a file of one document is not parsed again for its stylesheet");
        Document dom = Stylesheets.transform(parts.get(0).format().stylesheet(), parts.get(0).tree(), "8e6000b5-1fbd-4ff2-a3e2-1c27e0e3d1a1");
        byte[] ubl = Intake.stripRoutePis(io.zatcagateway.core.xml.XmlWriter.toUtf8(dom));
        Document parsed = strictValid(ubl);
        InvoiceFacts viaTree = InvoiceFacts.read(parsed);
        InvoiceFacts viaBytes = InvoiceFacts.read(SecureXml.parse(documents(example).get(0)));
        assertEquals(viaBytes.id(), viaTree.id());
        assertEquals(viaBytes.sellerVat(), viaTree.sellerVat());
        assertEquals(viaBytes.kindName(), viaTree.kindName());
        assertEquals("8e6000b5-1fbd-4ff2-a3e2-1c27e0e3d1a1", viaTree.uuid());
    }

    /** ZATCA's rounding in the shared stylesheet: half up, away from zero, 2 decimals (not round-half-to-even). */
    @Test
    void amountsRoundHalfAwayFromZero() throws Exception {
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("0.125", "0.13");
        cases.put("-0.125", "-0.13");
        cases.put("2.675", "2.68");
        cases.put("0.005", "0.01");
        cases.put("-0.005", "-0.01");
        cases.put("0.0049999", "0");
        cases.put("12.345", "12.35");
        cases.put("1234567.895", "1234567.9");
        cases.put("51.54", "51.54");
        String probe = "<xsl:stylesheet version='3.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'"
                + " xmlns:xs='http://www.w3.org/2001/XMLSchema' xmlns:zgw='urn:zatca-gateway:xslt'>"
                + "<xsl:include href='" + Path.of("xslt/ubl-common.xsl").toUri() + "'/>"
                + "<xsl:param name='v' as='xs:string'/>"
                + "<xsl:template name='xsl:initial-template'><xsl:value-of select='zgw:r2(xs:decimal($v))'/></xsl:template>"
                + "</xsl:stylesheet>";
        net.sf.saxon.s9api.Processor saxon = new net.sf.saxon.s9api.Processor(false);
        net.sf.saxon.s9api.XsltExecutable r2 = saxon.newXsltCompiler().compile(
                new javax.xml.transform.stream.StreamSource(new java.io.StringReader(probe)));
        for (java.util.Map.Entry<String, String> c : cases.entrySet()) {
            net.sf.saxon.s9api.Xslt30Transformer t = r2.load30();
            t.setStylesheetParameters(java.util.Map.of(new net.sf.saxon.s9api.QName("v"), new net.sf.saxon.s9api.XdmAtomicValue(c.getKey())));
            java.io.StringWriter out = new java.io.StringWriter();
            net.sf.saxon.s9api.Serializer ser = saxon.newSerializer(out);
            ser.setOutputProperty(net.sf.saxon.s9api.Serializer.Property.OMIT_XML_DECLARATION, "yes");
            ser.setOutputProperty(net.sf.saxon.s9api.Serializer.Property.METHOD, "text");
            t.callTemplate(null, ser);
            assertEquals(c.getValue(), out.toString(), "zgw:r2(" + c.getKey() + ")");
        }
    }

    /** The tree parse refuses what the DOM parse refuses, with the same codes. */
    @Test
    void theTreeParseRefusesWhatTheDomParseRefuses() {
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", "XML-DOCTYPE");
        bad.put("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>x</a>", "XML-ENCODING");
        bad.put("<a><b></a>", "XML-MALFORMED");
        bad.put("not xml at all", "XML-MALFORMED");
        for (java.util.Map.Entry<String, String> e : bad.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            io.zatcagateway.core.xml.XmlRejectedException tree = assertThrows(io.zatcagateway.core.xml.XmlRejectedException.class,
                    () -> Stylesheets.tree(bytes, 1 << 20), e.getKey());
            io.zatcagateway.core.xml.XmlRejectedException dom = assertThrows(io.zatcagateway.core.xml.XmlRejectedException.class,
                    () -> SecureXml.parse(bytes), e.getKey());
            assertEquals(e.getValue(), tree.code(), e.getKey());
            assertEquals(dom.code(), tree.code(), e.getKey());
        }
        byte[] latin1 = "<a>D\u00e9mo</a>".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("XML-ENCODING", assertThrows(io.zatcagateway.core.xml.XmlRejectedException.class, () -> Stylesheets.tree(latin1, 1 << 20)).code());
        assertEquals("XML-TOO-LARGE", assertThrows(io.zatcagateway.core.xml.XmlRejectedException.class,
                () -> Stylesheets.tree("<a>0123456789</a>".getBytes(StandardCharsets.UTF_8), 10)).code());
    }
}
