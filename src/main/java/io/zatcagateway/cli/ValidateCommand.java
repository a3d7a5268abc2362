package io.zatcagateway.cli;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.Severity;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.w3c.dom.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Pre-flight for UBL files; for signed files also the signature, certificate digest, signed properties and QR. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks UBL documents as ZATCA would, printing each failed rule with its code.",
                "Signed simplified documents are also verified: invoice hash, ECDSA signature, certificate digest, signed properties, QR",
                "(with --strict every signed document is; ZATCA itself stamps standard documents at clearance, so its own samples carry placeholder signatures).",
                "Exit code: 0 when every file passes (warnings allowed), 1 when any fails, 2 on usage errors."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--strict", description = "also run the UBL 2.1 XSD and the full EN 16931 schematron (slower), and verify the signature of standard documents too")
    boolean strict;

    @Option(names = "--pih", paramLabel = "<hash>", description = "the PIH the (first) document must carry: base64, or a file holding it")
    String pih;

    @Option(names = "--chain", description = "the files are consecutive documents of one EGS: each must carry the previous one's hash and ICV + 1")
    boolean chain;

    @Option(names = "--quiet", description = "print only failing files and their errors")
    boolean quiet;

    @Option(names = "--all", description = "also print INFO findings (EN 16931 rules that ZATCA does not apply)")
    boolean all;

    @Parameters(arity = "1..*", paramLabel = "<file>", description = "UBL 2.1 documents (invoices, credit and debit notes)")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String expectedPih = pih == null ? null : readPih(pih);
        Long expectedIcv = null;
        int failed = 0;
        for (Path file : files) {
            Result r = check(file, expectedPih, expectedIcv);
            if (r.failed) {
                failed++;
            }
            print(out, file, r);
            if (chain) {
                expectedPih = r.hash;
                expectedIcv = r.icv == null ? null : r.icv + 1;
            } else {
                expectedPih = null;
            }
        }
        if (files.size() > 1) {
            out.println((files.size() - failed) + " passed, " + failed + " failed");
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private record Result(boolean failed, String rejected, ValidationReport report, String hash, Long icv, boolean signed) {
    }

    private Result check(Path file, String expectedPih, Long expectedIcv) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Result(true, "cannot read: " + e.getMessage(), null, null, null, false);
        }
        Document doc;
        try {
            doc = SecureXml.parse(bytes);
        } catch (XmlRejectedException e) {
            return new Result(true, e.code() + ": " + e.getMessage(), null, null, null, false);
        }
        boolean signed = Dom.child(doc.getDocumentElement(), Ns.EXT, "UBLExtensions") != null;
        PreflightOptions options = (signed ? PreflightOptions.signed() : PreflightOptions.unsigned())
                .strict(strict).withExpectedPih(expectedPih).withExpectedIcv(expectedIcv);
        ValidationReport report = Preflight.check(doc, bytes, options);
        InvoiceFacts facts = InvoiceFacts.read(doc);
        boolean verify = signed && (strict || facts.simplified()) && Ns.INVOICE.equals(doc.getDocumentElement().getNamespaceURI());
        if (verify) {
            report = report.plus(SignatureVerifier.verify(doc));
        }
        return new Result(report.hasErrors(), null, report, InvoiceHash.of(doc), facts.icv(), verify);
    }

    private void print(PrintWriter out, Path file, Result r) {
        if (r.rejected != null) {
            out.println(file + ": FAILED");
            out.println("  ERROR " + r.rejected);
            return;
        }
        if (quiet && !r.failed) {
            return;
        }
        List<Finding> shown = r.report.findings().stream().filter(f -> quiet ? f.severity() == Severity.ERROR : all || f.severity() != Severity.INFO).toList();
        out.println(file + ": " + (r.failed ? "FAILED" : "PASSED") + " (" + r.report.errors().size() + " errors, "
                + r.report.warnings().size() + " warnings" + (r.signed ? ", signature checked" : ", signature not checked") + ")");
        for (Finding f : shown) {
            out.println("  " + f.severity() + " " + f.code() + " at " + f.location() + ": " + f.message());
        }
        if (!quiet) {
            out.println("  invoice hash: " + r.hash);
        }
    }

    private static String readPih(String value) throws IOException {
        Path p = Path.of(value);
        if (value.length() < 200 && Files.isRegularFile(p)) {
            return Files.readString(p).trim();
        }
        return value.trim();
    }
}
