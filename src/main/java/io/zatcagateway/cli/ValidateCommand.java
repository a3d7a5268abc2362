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
import io.zatcagateway.intake.Intake;
import io.zatcagateway.intake.IntakeFormat;
import io.zatcagateway.intake.IntakeRejected;
import io.zatcagateway.intake.Stylesheets;
import java.util.ArrayList;
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

    @Option(names = "--config", paramLabel = "<file>", description = "configuration with the ERP formats (default config/application.properties)")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "<file>", description = "UBL 2.1 documents (invoices, credit and debit notes), or ERP exports "
            + "of a configured format (SAP IDoc, Oracle AR): these are transformed first, each document checked")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String expectedPih = pih == null ? null : readPih(pih);
        Long expectedIcv = null;
        int failed = 0;
        int checked = 0;
        for (Path file : files) {
            for (Labelled l : documents(file)) {
                checked++;
                Result r = l.result != null ? l.result : check(l.bytes, expectedPih, expectedIcv);
                if (r.failed) {
                    failed++;
                }
                print(out, l.label, r);
                if (chain) {
                    expectedPih = r.hash;
                    expectedIcv = r.icv == null ? null : r.icv + 1;
                } else {
                    expectedPih = null;
                }
            }
        }
        if (checked > 1) {
            out.println((checked - failed) + " passed, " + failed + " failed");
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private record Result(boolean failed, String rejected, ValidationReport report, String hash, Long icv, boolean signed) {
    }

    private record Labelled(String label, byte[] bytes, Result result) {
    }

    /** The UBL documents of a file: the file itself, or what its ERP format's stylesheet makes of each of its documents. */
    private List<Labelled> documents(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return List.of(new Labelled(file.toString(), null, new Result(true, "cannot read: " + e.getMessage(), null, null, null, false)));
        }
        Document doc;
        try {
            doc = SecureXml.parse(bytes);
        } catch (XmlRejectedException e) {
            return List.of(new Labelled(file.toString(), null, new Result(true, e.code() + ": " + e.getMessage(), null, null, null, false)));
        }
        if (Ns.INVOICE.equals(doc.getDocumentElement().getNamespaceURI())) {
            return List.of(new Labelled(file.toString(), bytes, null));
        }
        Intake intake = new Intake(IntakeFormat.all(Config.load(config)), null, Integer.MAX_VALUE);
        List<Intake.Part> parts;
        try {
            parts = intake.open(file.getFileName().toString(), null, bytes);
        } catch (IntakeRejected e) {
            return List.of(new Labelled(file.toString(), null, new Result(true, e.getMessage(), null, null, null, false)));
        }
        List<Labelled> out = new ArrayList<>();
        for (Intake.Part p : parts) {
            String label = file + " [" + p.format().name() + (p.label() == null ? "" : ", " + p.label()) + "]";
            if (p.format().stylesheet() == null) {
                out.add(new Labelled(label, p.bytes(), null));
                continue;
            }
            try {
                out.add(new Labelled(label, Intake.stripRoutePis(Stylesheets.transform(p.format().stylesheet(), p.bytes())), null));
            } catch (IntakeRejected e) {
                Finding f = e.findings().get(0);
                out.add(new Labelled(label, null, new Result(true, f.code() + ": " + f.message(), null, null, null, false)));
            }
        }
        return out;
    }

    private Result check(byte[] bytes, String expectedPih, Long expectedIcv) {
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

    private void print(PrintWriter out, String file, Result r) {
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
