package io.zatcagateway.bench;

import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.core.ubl.UblInvoiceBuilder;
import io.zatcagateway.core.ubl.UblInvoiceBuilder.Line;
import java.nio.charset.StandardCharsets;

/** A realistic ~13 KB standard invoice: 10 lines, Arabic and English item names, seller and buyer. */
final class BenchDocuments {
    private BenchDocuments() {
    }

    static byte[] invoice13k(String sellerVat, boolean simplified) {
        SampleDocuments s = new SampleDocuments(sellerVat, "\u0634\u0631\u0643\u0629 \u0627\u0644\u0627\u062e\u062a\u0628\u0627\u0631 | Test Seller LLC");
        UblInvoiceBuilder b = new UblInvoiceBuilder().id("BENCH-1").seller(s.seller()).simplified(simplified)
                .issued(java.time.LocalDate.now().minusDays(1).toString(), "10:00:00");
        if (!simplified) {
            b.buyer(s.buyer());
        }
        for (int i = 1; i <= 10; i++) {
            b.line(Line.standard("\u0642\u0644\u0645 \u0631\u0635\u0627\u0635 " + i + " | Pencil model " + i + " with a longer description", String.valueOf(i), "1" + i + ".25"));
        }
        return b.build().getBytes(StandardCharsets.UTF_8);
    }
}
