package io.zatcagateway.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a benchmark round cost the whole JVM: process CPU time (all threads, the JIT compiler included), and how much of
 * it the JIT compiler's threads used, so that a round still paying for warm-up is visible as such.
 *
 * <p>The compiler's share is the CPU time of its threads ("C1 CompilerThread", "C2 CompilerThread") read from Linux's
 * {@code /proc/self/task/<tid>/schedstat}. The JVM's own figure ({@link CompilationMXBean#getTotalCompilationTime()})
 * is elapsed time summed over the compiler threads: on two busy cores it counts the time they wait for a core too, so
 * it reads higher than their CPU time; it is printed beside it, and alone where {@code /proc} is not there.
 *
 * <p>Why "outside the compiler" is printed: on these 2-core machines the compiler is still busy minutes after start
 * (about 20,000 compilations), and how much of a round it takes varies from run to run of the same build (in one
 * intake run the JVM counted 73 s of compilation, elapsed, in a 70 s round; in the next run 3 s). The CPU outside it
 * is the steadier figure for comparing two builds; the documents per second are what was reached in that run.
 *
 * <p>Where {@code /proc} is there, the line also splits the CPU into user and kernel time ({@code /proc/self/stat},
 * in clock ticks of 10 ms) and counts the thread switches per document (voluntary and involuntary, of the threads alive
 * when read: a thread that ends within the round takes its switches out of the count): a thread hand-over or a wait on
 * the broker shows there, not in a profile of Java code.
 */
final class CpuMeter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");

    private final long cpu0 = OS.getProcessCpuTime();
    private final long compiler0 = compilerCpuNanos();
    private final long jit0 = jitElapsedMillis();
    private final long wall0 = System.nanoTime();
    private final long[] proc0 = userKernelSwitches();

    /**
     * "CPU 14.0 ms/document: 10.3 outside the JIT compiler, 3.7 in it (...) [user 12.1, kernel 1.9 ms/document, 30.5
     * thread switches/document]; 1.71 of 2 cores busy" for the documents done since this meter was made.
     */
    String perDocument(int documents) {
        double docs = Math.max(1, documents);
        double cpuMs = (OS.getProcessCpuTime() - cpu0) / 1e6;
        // how many of the machine's cores the JVM kept busy on average: below the core count, it waited for something
        long[] proc = userKernelSwitches();
        String split = proc == null || proc0 == null ? "" : String.format(" [user %.2f, kernel %.2f ms/document, %.1f thread switches/document]",
                (proc[0] - proc0[0]) * 10.0 / docs, (proc[1] - proc0[1]) * 10.0 / docs, (proc[2] - proc0[2]) / docs);
        String busy = split + String.format("; %.2f of %d cores busy", cpuMs / ((System.nanoTime() - wall0) / 1e6), Runtime.getRuntime().availableProcessors());
        long compiler = compilerCpuNanos();
        if (compiler >= 0 && compiler0 >= 0) {
            double jitMs = (compiler - compiler0) / 1e6;
            return String.format("CPU %.1f ms/document: %.1f outside the JIT compiler, %.1f in it (compiler threads %.1f s CPU, %.1f s elapsed)",
                    cpuMs / docs, (cpuMs - jitMs) / docs, jitMs / docs, jitMs / 1e3, (jitElapsedMillis() - jit0) / 1e3) + busy;
        }
        return String.format("CPU %.1f ms/document, JIT compiling %.1f s elapsed", cpuMs / docs, (jitElapsedMillis() - jit0) / 1e3) + busy;
    }

    private static long jitElapsedMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }

    /** CPU time of the JIT compiler's threads alive now, in nanoseconds; -1 where /proc cannot say. */
    static long compilerCpuNanos() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long sum = 0;
        boolean found = false;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        sum += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                        found = true;
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between the listing and the read: its time is not counted
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? sum : -1;
    }

    /** User and kernel CPU of the process in clock ticks, and the thread switches of its live threads; null without /proc. */
    static long[] userKernelSwitches() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after "(comm)": state is field 3, utime 14 and stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long switches = 0;
            try (Stream<Path> tasks = Files.list(TASKS)) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException | RuntimeException threadGone) {
                        // the thread ended between the listing and the read
                    }
                }
            }
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), switches};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
