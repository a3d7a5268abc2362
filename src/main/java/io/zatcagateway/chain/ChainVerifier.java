package io.zatcagateway.chain;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;

/**
 * Re-reads an EGS's stored chain and proves every link: ICVs 1, 2, 3, ... without a gap, each PIH equal to the hash of
 * the document before it (the first one equal to ZATCA's initial PIH), each stored hash equal to the hash recomputed
 * from the stored bytes, the ICV and PIH inside the bytes equal to the stored ones, and every signature valid.
 */
public final class ChainVerifier {
    /** The outcome: how many links were checked, and the first broken one (null when the chain holds). */
    public record Report(String egs, long documents, long lastIcv, String firstBroken, List<String> problems) {
        public boolean ok() {
            return firstBroken == null;
        }
    }

    private ChainVerifier() {
    }

    public static Report verify(ChainStore store, String egs) throws SQLException {
        long[] count = {0};
        long[] expectedIcv = {1};
        String[] previousHash = {InvoiceHash.GENESIS_PIH};
        String[] broken = {null};
        List<String> problems = new ArrayList<>();
        store.forEach(egs, d -> {
            count[0]++;
            if (broken[0] != null) {
                return;
            }
            List<String> p = new ArrayList<>();
            if (d.icv() != expectedIcv[0]) {
                p.add("ICV " + d.icv() + " follows ICV " + (expectedIcv[0] - 1) + " (expected " + expectedIcv[0] + ")");
            }
            if (!d.pih().equals(previousHash[0])) {
                p.add("PIH " + d.pih() + " is not the previous document's hash " + previousHash[0]);
            }
            try {
                Document doc = SecureXml.parse(d.signedXml());
                String hash = InvoiceHash.of(doc);
                if (!hash.equals(d.invoiceHash())) {
                    p.add("stored hash " + d.invoiceHash() + " but the stored bytes hash to " + hash);
                }
                InvoiceFacts f = InvoiceFacts.read(doc);
                if (f.icv() == null || f.icv() != d.icv()) {
                    p.add("the document carries ICV " + f.icvText() + ", the store says " + d.icv());
                }
                if (!d.pih().equals(f.pih())) {
                    p.add("the document carries PIH " + f.pih() + ", the store says " + d.pih());
                }
                ValidationReport r = SignatureVerifier.verify(doc, hash);
                for (Finding e : r.errors()) {
                    p.add(e.code() + ": " + e.message());
                }
            } catch (Exception e) {
                p.add("the stored bytes cannot be read: " + e.getMessage());
            }
            if (!p.isEmpty()) {
                broken[0] = "ICV " + d.icv() + " (document " + d.number() + ", key " + d.documentKey() + "): " + String.join("; ", p);
                problems.addAll(p);
            }
            expectedIcv[0] = d.icv() + 1;
            previousHash[0] = d.invoiceHash();
        });
        var head = store.head(egs);
        if (broken[0] == null && head != null && (head.getKey() != expectedIcv[0] - 1 || !head.getValue().equals(previousHash[0]))) {
            broken[0] = "chain head says ICV " + head.getKey() + " / hash " + head.getValue() + " but the last stored document is ICV "
                    + (expectedIcv[0] - 1) + " / hash " + previousHash[0];
        }
        return new Report(egs, count[0], expectedIcv[0] - 1, broken[0], problems);
    }
}
