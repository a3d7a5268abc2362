package io.zatcagateway.core.ubl;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.ubl.UblInvoiceBuilder.Line;
import io.zatcagateway.core.ubl.UblInvoiceBuilder.Party;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Ready-made documents of the six kinds for one seller: used by the onboarding compliance checks, the demo,
 * the benchmarks and the tests. Dates default to today in Riyadh so that BR-KSA-04 (not in the future) holds.
 */
public final class SampleDocuments {
    private final Party seller;
    private final Party buyer;

    public SampleDocuments(String sellerVat, String sellerName) {
        this.seller = new Party(sellerName, sellerVat, "1010010000", "CRN", "King Fahd Road", "2322", "Al Olaya",
                "Riyadh", "12211", "SA");
        this.buyer = new Party("Buyer Trading Co", "399999999800003", null, null, "Prince Sultan Street", "4321", "Al Rawdah",
                "Jeddah", "23435", "SA");
    }

    public Party seller() {
        return seller;
    }

    public Party buyer() {
        return buyer;
    }

    /** A document of the given kind with the usual two standard-rated lines. Notes refer to {@code originalId}. */
    public UblInvoiceBuilder builder(DocumentType type, boolean simplified, String id, String originalId) {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Riyadh"));
        LocalTime now = LocalTime.now(ZoneId.of("Asia/Riyadh")).withNano(0);
        UblInvoiceBuilder b = new UblInvoiceBuilder()
                .id(id)
                .uuid(UUID.randomUUID().toString())
                .issued(today.toString(), now.format(DateTimeFormatter.ISO_LOCAL_TIME))
                .type(type)
                .simplified(simplified)
                .seller(seller)
                .line(Line.standard("Pencil box", "2", "12.50"))
                .line(Line.standard("Notebook A4", "3", "7.35"));
        if (!simplified) {
            b.buyer(buyer);
        }
        if (type.isNote()) {
            b.noteFor(originalId, type == DocumentType.CREDIT_NOTE ? "Returned goods" : "Price correction");
        }
        return b;
    }

    public String document(DocumentType type, boolean simplified, String id, String originalId) {
        return builder(type, simplified, id, originalId).build();
    }
}
