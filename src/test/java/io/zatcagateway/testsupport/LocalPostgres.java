package io.zatcagateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from the machine's own binaries (Debian's {@code postgresql} package): initdb in a
 * temporary folder, started on a free loopback port with trust authentication, stopped and deleted afterwards. When
 * no binaries are found, {@link #start} returns null and {@link #whyNot} says why, so the test can say it skipped.
 */
public final class LocalPostgres implements AutoCloseable {
    public final Path dataDir;
    public final int port;
    private final List<String> asUser;

    private LocalPostgres(Path dataDir, int port, List<String> asUser) {
        this.dataDir = dataDir;
        this.port = port;
        this.asUser = asUser;
    }

    public static String whyNot;

    static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                    .sorted().reduce((a, b) -> b).orElse(null);
        }
    }

    public static LocalPostgres start(Path parent) throws Exception {
        Path bin = binaries();
        if (bin == null) {
            whyNot = "PostgreSQL binaries not found under /usr/lib/postgresql (install Debian's postgresql package)";
            return null;
        }
        List<String> asUser = new ArrayList<>();
        Path data = parent.resolve("pgdata");
        Path socket = Files.createDirectories(parent.resolve("pgsocket"));
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root: run it as the package's postgres user
            UserPrincipal postgres;
            try {
                postgres = parent.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            } catch (IOException e) {
                whyNot = "running as root and there is no postgres user to run PostgreSQL as";
                return null;
            }
            Files.setOwner(parent, postgres);
            Files.setOwner(socket, postgres);
            asUser.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        run(asUser, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        int port = FreePort.loopback();
        run(asUser, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", parent.resolve("pg.log").toString(),
                "-o", "-p " + port + " -k " + socket + " -c listen_addresses=127.0.0.1", "start");
        return new LocalPostgres(data, port, asUser);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static void run(List<String> prefix, String... cmd) throws Exception {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", all) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        Path bin = binaries();
        run(asUser, bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        try (Stream<Path> s = Files.walk(dataDir.getParent())) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
