package io.zatcagateway.egs;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.ubl.UblInvoiceBuilder;
import io.zatcagateway.core.ubl.UblInvoiceBuilder.Line;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The documents an EGS sends to {@code /compliance/invoices} before ZATCA issues its production CSID. For each kind
 * the EGS declares (standard, simplified): an invoice, a credit note and a debit note each referring to that invoice,
 * a zero-rated invoice, an exempt invoice, and a mixed-rate invoice in US dollars with its VAT total in SAR: six per
 * kind, twelve for an EGS that issues both.
 */
public final class ComplianceScenarios {
    /** One scenario: a name for the progress lines and the unsigned document. */
    public record Scenario(String name, DocumentType type, boolean simplified, String xml) {
    }

    private ComplianceScenarios() {
    }

    public static List<Scenario> forEgs(EgsConfig egs) {
        List<Scenario> out = new ArrayList<>();
        if (egs.standard()) {
            out.addAll(kind(egs, false));
        }
        if (egs.simplified()) {
            out.addAll(kind(egs, true));
        }
        return out;
    }

    private static List<Scenario> kind(EgsConfig egs, boolean simplified) {
        String k = simplified ? "simplified" : "standard";
        String prefix = simplified ? "CS" : "CT";
        String invoiceId = prefix + "-INV-1";
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario(k + " invoice", DocumentType.INVOICE, simplified, base(egs, simplified, DocumentType.INVOICE, invoiceId).build()));
        s.add(new Scenario(k + " credit note", DocumentType.CREDIT_NOTE, simplified, base(egs, simplified, DocumentType.CREDIT_NOTE, prefix + "-CRN-1")
                .noteFor(invoiceId, "Goods returned by the customer").build()));
        s.add(new Scenario(k + " debit note", DocumentType.DEBIT_NOTE, simplified, base(egs, simplified, DocumentType.DEBIT_NOTE, prefix + "-DBN-1")
                .noteFor(invoiceId, "Price adjustment agreed with the customer").build()));
        s.add(new Scenario(k + " zero-rated invoice", DocumentType.INVOICE, simplified, start(egs, simplified, DocumentType.INVOICE, prefix + "-INV-Z")
                .line(Line.exempted("Medical equipment", "2", "150.00", "Z", "VATEX-SA-35")).build()));
        s.add(new Scenario(k + " exempt invoice", DocumentType.INVOICE, simplified, start(egs, simplified, DocumentType.INVOICE, prefix + "-INV-E")
                .line(Line.exempted("Financial service fee", "1", "80.00", "E", "VATEX-SA-29")).build()));
        s.add(new Scenario(k + " mixed-rate invoice in USD", DocumentType.INVOICE, simplified, start(egs, simplified, DocumentType.INVOICE, prefix + "-INV-M")
                .currency("USD", "3.75")
                .line(Line.standard("Consulting hours", "3", "40.00"))
                .line(Line.exempted("Medical supplies", "1", "25.00", "Z", "VATEX-SA-35"))
                .line(Line.exempted("Insurance fee", "1", "10.00", "E", "VATEX-SA-29"))
                .discount("5.00")
                .build()));
        return s;
    }

    private static UblInvoiceBuilder start(EgsConfig egs, boolean simplified, DocumentType type, String id) {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Riyadh"));
        String now = LocalTime.now(ZoneId.of("Asia/Riyadh")).withNano(0).format(DateTimeFormatter.ISO_LOCAL_TIME);
        UblInvoiceBuilder b = new UblInvoiceBuilder().id(id).uuid(UUID.randomUUID().toString()).issued(today.toString(), now)
                .type(type).simplified(simplified).seller(egs.seller());
        if (!simplified) {
            b.buyer(new SampleDocuments(egs.vat(), egs.sellerName()).buyer());
        }
        return b;
    }

    private static UblInvoiceBuilder base(EgsConfig egs, boolean simplified, DocumentType type, String id) {
        return start(egs, simplified, type, id).line(Line.standard("Office chair", "2", "320.00")).line(Line.standard("Desk lamp", "1", "85.50"));
    }
}
