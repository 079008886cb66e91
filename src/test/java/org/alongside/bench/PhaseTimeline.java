package org.alongside.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When each measured phase ran against which server, and the processor time it took from the server's JVM and from
 * every PostgreSQL process, read from {@code /proc} before and after. {@link ProfileAnalysis} cuts the server's
 * flight recording along these lines. One tab-separated line per phase: database, phase, successful operations,
 * start and end (epoch ms), server CPU ms, PostgreSQL CPU ms.
 */
final class PhaseTimeline {

    private static final double MILLIS_PER_TICK = 10.0; // USER_HZ is 100 on Linux

    record Phase(String database, String name, int operations, long startMillis, long endMillis, double serverCpuMillis,
                 double postgresCpuMillis) {

        String line() {
            return String.join("\t", database, name, Integer.toString(operations), Long.toString(startMillis),
                    Long.toString(endMillis), String.format(Locale.ROOT, "%.0f", serverCpuMillis),
                    String.format(Locale.ROOT, "%.0f", postgresCpuMillis));
        }

        static Phase parse(String line) {
            String[] f = line.split("\t");
            return new Phase(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]));
        }
    }

    /** A phase under way: the clock and the processor times at its start. */
    record Mark(long startMillis, long serverTicks, long postgresTicks) {
    }

    private final Path file;

    PhaseTimeline(Path file) {
        this.file = file;
    }

    static Mark begin(long serverPid) {
        return new Mark(System.currentTimeMillis(), ticks(serverPid), postgresTicks());
    }

    /** The phase that began at the mark and ends now. */
    static Phase end(Mark mark, long serverPid, String database, String phase, int operations) {
        return new Phase(database, phase, operations, mark.startMillis(), System.currentTimeMillis(),
                (ticks(serverPid) - mark.serverTicks()) * MILLIS_PER_TICK,
                (postgresTicks() - mark.postgresTicks()) * MILLIS_PER_TICK);
    }

    void append(Phase line) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the phase timeline " + file, e);
        }
    }

    static List<Phase> read(Path file) throws IOException {
        List<Phase> phases = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                phases.add(Phase.parse(line));
            }
        }
        return phases;
    }

    static long pidFrom(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read the server's process id from " + pidFile, e);
        }
    }

    /** User plus system time of one process, in clock ticks; 0 when it is gone. */
    private static long ticks(long pid) {
        return ticks(pid, false);
    }

    /** The same, with the time of its children that ended if asked for. */
    private static long ticks(long pid, boolean endedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12])
                    + (endedChildren ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * User plus system time of every PostgreSQL process, and of the backends that ended: the postmaster holds the
     * time of its children that exited (its cutime and cstime), so that a connection closed during a phase does not
     * take its time out of the sum.
     */
    private static long postgresTicks() {
        long total = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.toList()) {
                String name = process.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(process.resolve("comm")).trim().equals("postgres")) {
                            total += ticks(Long.parseLong(name), true);
                        }
                    } catch (IOException ignored) {
                        // the process ended meanwhile
                    }
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }
}
