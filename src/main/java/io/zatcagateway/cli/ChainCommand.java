package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayContext;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.chain.ChainVerifier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chain verify [egs...]}. */
@Command(name = "chain", mixinStandardHelpOptions = true, description = "The stored ICV/PIH chains.",
        subcommands = {ChainCommand.Verify.class})
public final class ChainCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Re-reads each EGS's stored chain and proves every link: ICV 1, 2, 3... without a gap, each PIH the "
                    + "previous hash, each stored hash recomputed from the stored bytes, every signature valid. Exit 1 and the "
                    + "first broken link otherwise.")
    static final class Verify implements Callable<Integer> {
        @Parameters(arity = "0..*", description = "EGS ids (default: every configured EGS)")
        List<String> egs;

        @Option(names = "--config")
        Path config;

        @Override
        public Integer call() throws Exception {
            var p = Config.load(config);
            List<String> ids = egs == null || egs.isEmpty() ? List.copyOf(new GatewayContext(p, null).egs().keySet()) : egs;
            int broken = 0;
            try (var ds = Database.open(p)) {
                ChainStore store = new ChainStore(ds);
                for (String id : ids) {
                    long t0 = System.nanoTime();
                    ChainVerifier.Report r = ChainVerifier.verify(store, id);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (r.ok()) {
                        System.out.println("OK    " + id + ": " + r.documents() + " documents, ICV 1.." + r.lastIcv() + ", every link and signature holds (" + ms + " ms)");
                    } else {
                        broken++;
                        System.out.println("BROKEN " + id + ": first broken link at " + r.firstBroken());
                    }
                }
            }
            return broken == 0 ? 0 : 1;
        }
    }
}
