package io.zatcagateway.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Apache Artemis broker in its own process, from the published distribution that the build unpacks into
 * {@code target/artemis-dist} (pom: unpack-artemis). The instance is made with {@code artemis create} (NIO journal,
 * login required), given the gateway's address settings from {@code config/artemis/zatca-address-settings.xml} and a
 * 0.5 ms journal buffer timeout, and run with {@code artemis run}; its output goes to {@code broker.log}.
 */
public final class ExternalArtemis implements AutoCloseable {
    public static final String USER = "zgw";
    public static final String PASSWORD = "zgw-test-broker-pass";

    public final Path instance;
    public final int port;
    private final Process process;

    private ExternalArtemis(Path instance, int port, Process process) {
        this.instance = instance;
        this.port = port;
        this.process = process;
    }

    /** The unpacked distribution, or an error that says how to get it. */
    public static Path home() throws IOException {
        Path dist = Path.of("target/artemis-dist");
        if (Files.isDirectory(dist)) {
            try (Stream<Path> s = Files.list(dist)) {
                Path home = s.filter(p -> Files.isExecutable(p.resolve("bin/artemis"))).findFirst().orElse(null);
                if (home != null) {
                    return home.toAbsolutePath();
                }
            }
        }
        throw new IOException("the Artemis distribution is not unpacked in target/artemis-dist: run mvn process-test-resources");
    }

    public static ExternalArtemis start(Path dir) throws Exception {
        Path home = home();
        int port = FreePort.loopback();
        Path instance = dir.resolve("broker");
        run(home, dir, home.resolve("bin/artemis").toString(), "create", instance.toString(), "--silent", "--force",
                "--user", USER, "--password", PASSWORD, "--require-login", "--nio", "--no-web", "--no-autotune",
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                "--host", "127.0.0.1", "--default-port", String.valueOf(port), "--name", "zgw-external",
                "--java-memory", "512M");
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml);
        String settings = Files.readString(Path.of("config/artemis/zatca-address-settings.xml"));
        xml = xml.replace("</address-settings>", settings + "\n</address-settings>")
                .replace("<journal-type>NIO</journal-type>", "<journal-type>NIO</journal-type>\n      <journal-buffer-timeout>500000</journal-buffer-timeout>");
        Files.writeString(brokerXml, xml);
        ProcessBuilder pb = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String log = Files.exists(dir.resolve("broker.log")) ? Files.readString(dir.resolve("broker.log")) : "";
            if (log.contains("AMQ221007")) { // Server is now active
                return new ExternalArtemis(instance, port, p);
            }
            if (!p.isAlive()) {
                throw new IOException("the Artemis broker stopped at start:\n" + log);
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IOException("the Artemis broker did not start within 60 s:\n" + Files.readString(dir.resolve("broker.log")));
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private static void run(Path home, Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", new ArrayList<>(List.of(cmd))) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
