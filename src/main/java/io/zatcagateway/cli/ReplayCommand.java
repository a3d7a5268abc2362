package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code replay <egs> [--document N]}: asks the running gateway to put dead-lettered documents back on their queue. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-queues dead-lettered documents of an EGS (or one document) once the cause is fixed. The running "
                + "gateway picks the request up from its replay folder; the stored bytes are sent again, never re-signed. "
                + "The outcome is logged and published as a zatca.replay.done event.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "EGS id, or * for every EGS")
    String egs;

    @Option(names = "--document", description = "only this document number")
    String document;

    @Option(names = "--config")
    Path config;

    @Override
    public Integer call() throws Exception {
        var p = Config.load(config);
        if (!egs.equals("*") && !new GatewayContext(p, null).egs().containsKey(egs)) {
            throw new IllegalArgumentException("unknown EGS '" + egs + "' (no config/egs/" + egs + ".properties)");
        }
        Path dir = Path.of(p.getProperty("gateway.replay", "data/replay").trim());
        Files.createDirectories(dir);
        String name = (egs.equals("*") ? "all" : egs) + (document == null ? "" : "--" + document.replaceAll("[^A-Za-z0-9._-]", "_"))
                + "-" + System.currentTimeMillis();
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, egs + (document == null ? "" : "/" + document) + "\n");
        Path target = Files.move(tmp, dir.resolve(name + ".replay"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("replay requested: " + target + " (the running gateway takes it within a second; see its log or the "
                + "zatca.replay.done event)");
        return 0;
    }
}
