package io.zatcagateway.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * What a benchmark round cost the whole JVM: process CPU time (all threads, the JIT compiler included) and the time the
 * JIT compilers spent, so that a round still paying for warm-up is visible as such.
 */
final class CpuMeter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final long cpu0 = OS.getProcessCpuTime();
    private final long jit0 = JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;

    /** "CPU 12.3 ms/document (JIT compiler 21 s of it)" for the documents done since this meter was made. */
    String perDocument(int documents) {
        double cpuMs = (OS.getProcessCpuTime() - cpu0) / 1e6;
        double jitS = ((JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0) - jit0) / 1e3;
        return String.format("CPU %.1f ms/document, of which JIT compiling %.1f s in all", cpuMs / Math.max(1, documents), jitS);
    }
}
