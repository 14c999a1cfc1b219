package io.wsc.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A process's resident memory, CPU time and open file descriptors, read from {@code /proc/<pid>/} (Linux).
 *
 * @param rssKib VmRSS from {@code status}
 * @param cpuMillis utime + stime from {@code stat}, at the usual 100 clock ticks a second
 * @param openFds entries of {@code fd/}
 */
public record ProcessSample(long rssKib, long cpuMillis, int openFds) {

    private static final int CLOCK_TICKS_PER_SECOND = 100;

    public static ProcessSample of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        String stat = Files.readString(proc.resolve("stat"));
        // fields after the command name (which may contain spaces) start at state, field 3; utime is 14, stime 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        int fds;
        try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
            fds = (int) entries.count();
        }
        return new ProcessSample(rss, ticks * 1000 / CLOCK_TICKS_PER_SECOND, fds);
    }

    public double rssMib() {
        return rssKib / 1024.0;
    }

    /**
     * The whole machine's CPU time from {@code /proc/stat}, in jiffies over all cores: spent by processes (user, nice,
     * system), on interrupts (irq, softirq: much of the network stack), and in all.
     */
    public record Machine(long processes, long interrupts, long total) {

        public static Machine now() throws IOException {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long processes = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]);
            return new Machine(processes, Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]), total);
        }

        /**
         * Cores kept busy on average since {@code earlier}, by processes and interrupts both: a process's own CPU time
         * includes the interrupts served while it ran (such as a loopback connection's receiving side).
         */
        public double busyCoresSince(Machine earlier) {
            return cores(processes + interrupts - earlier.processes - earlier.interrupts, earlier);
        }

        /** Cores that interrupts kept busy on average since {@code earlier}. */
        public double interruptCoresSince(Machine earlier) {
            return cores(interrupts - earlier.interrupts, earlier);
        }

        private double cores(long jiffies, Machine earlier) {
            long elapsed = total - earlier.total;
            return elapsed == 0 ? 0 : jiffies * (double) Runtime.getRuntime().availableProcessors() / elapsed;
        }
    }
}
