package io.zatcagateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** {@code config/application.properties} (or the file named by {@code -Dgateway.config}), with -D overrides on top. */
final class Config {
    private Config() {
    }

    /** Blocks until the JVM is asked to stop (Ctrl+C, SIGTERM), then closes {@code running}. */
    static void untilStopped(AutoCloseable running) throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        Path f = file != null ? file : Path.of(System.getProperty("gateway.config", "config/application.properties"));
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
        } else if (file != null) {
            throw new IOException("configuration file " + f + " not found");
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("simulator.") || k.startsWith("gateway.")) {
                p.setProperty(k, System.getProperty(k));
            }
        }
        return p;
    }
}
