package io.zatcagateway.app;

import io.zatcagateway.cli.GatewayCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A gateway JVM started with the run command on a configuration file, its output in a log file. */
record GatewayProcess(Process process, List<String> lines) {
    static GatewayProcess start(Path config, Path log) throws Exception {
        return start(config, log, Map.of(), List.of());
    }

    static GatewayProcess start(Path config, Path log, Map<String, String> env, List<String> jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dgateway.config=file:" + config,
                "-Dlog4j2.configurationFile=" + Path.of(GatewayProcess.class.getResource("/log4j2.properties").toURI()),
                "-cp", System.getProperty("java.class.path"), GatewayCli.class.getName(), "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        PrintStream out = new PrintStream(Files.newOutputStream(log), true);
        String line;
        while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
            lines.add(line);
            out.println(line);
            if (line.contains("started in")) {
                break;
            }
        }
        Thread drain = new Thread(() -> {
            try (out) {
                r.lines().forEach(l -> {
                    lines.add(l);
                    out.println(l);
                });
            } catch (java.io.UncheckedIOException closed) {
                // the process was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        if (!p.isAlive() || lines.stream().noneMatch(l -> l.contains("started in"))) {
            p.destroyForcibly();
            throw new AssertionError("the gateway did not start: " + String.join("\n", lines));
        }
        return new GatewayProcess(p, lines);
    }
}
