package dev.berth.daemon.container;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * GET /containers/{id}/top: docker's {@code {"Titles":[…],"Processes":[[…]]}}. dockerd runs the
 * host's {@code ps -ef} and keeps the container's pids; berth reads the same columns (UID PID
 * PPID C STIME TTY TIME CMD) from /proc itself for the default, and runs {@code ps} only when the
 * client gives other ps_args, keeping the rows whose PID column is one of the container's.
 */
final class TopTable {
    static final List<String> TITLES = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    /** USER_HZ: 100 on every Linux architecture berth runs on. */
    private static final long TICKS = 100;

    record Table(List<String> titles, List<List<String>> processes) {}

    private TopTable() {}

    static Table of(List<Integer> pids, String psArgs) {
        if (psArgs == null || psArgs.isBlank() || psArgs.trim().equals("-ef")) {
            return fromProc(pids);
        }
        return fromPs(pids, psArgs.trim());
    }

    private static Table fromProc(List<Integer> pids) {
        Map<Integer, String> users = users();
        long bootSeconds = bootTime();
        double uptime = uptime();
        List<List<String>> rows = new ArrayList<>();
        for (int pid : pids) {
            Path dir = Path.of("/proc", Integer.toString(pid));
            try {
                String stat = Files.readString(dir.resolve("stat"));
                // the command name is in parentheses and may hold spaces: fields start after the last ')'
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(stat.indexOf('(') + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                // f[0] is field 3 (state): field n is f[n - 3]
                int ppid = Integer.parseInt(f[1]);
                int ttyNr = Integer.parseInt(f[4]);
                long cpuTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                long startTicks = Long.parseLong(f[19]);
                double elapsed = uptime - startTicks / (double) TICKS;
                long c = elapsed > 0 ? (long) (cpuTicks / (double) TICKS * 100 / elapsed) : 0;
                int uid = uid(dir);
                rows.add(List.of(users.getOrDefault(uid, Integer.toString(uid)), Integer.toString(pid), Integer.toString(ppid),
                        Long.toString(c), startTime(bootSeconds + startTicks / TICKS), tty(ttyNr), cpuTime(cpuTicks / TICKS),
                        commandLine(dir, comm)));
            } catch (IOException | RuntimeException e) {
                // the process exited between the pid list and now: not a row
            }
        }
        return new Table(TITLES, rows);
    }

    private static Table fromPs(List<Integer> pids, String psArgs) {
        List<String> argv = new ArrayList<>();
        argv.add("ps");
        argv.addAll(List.of(psArgs.split("\\s+")));
        String out;
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw BerthException.internal("Error running ps: exit status " + (p.isAlive() ? "timeout" : p.exitValue())
                        + ": " + out.trim());
            }
        } catch (IOException e) {
            throw BerthException.internal("Error running ps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted running ps", e);
        }
        List<String> lines = out.lines().toList();
        if (lines.isEmpty()) {
            return new Table(List.of(), List.of());
        }
        List<String> titles = List.of(lines.getFirst().trim().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw BerthException.internal("Couldn't find PID field in ps output");
        }
        Set<String> wanted = new java.util.HashSet<>();
        pids.forEach(p -> wanted.add(p.toString()));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > pidColumn && wanted.contains(fields[pidColumn])) {
                // the last column (the command) keeps its spaces, as dockerd splits it
                List<String> row = new ArrayList<>(List.of(fields).subList(0, Math.min(fields.length, titles.size() - 1)));
                row.add(String.join(" ", List.of(fields).subList(Math.min(fields.length, titles.size() - 1), fields.length)));
                rows.add(row);
            }
        }
        return new Table(titles, rows);
    }

    private static int uid(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        return 0;
    }

    private static String commandLine(Path dir, String comm) throws IOException {
        byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
        String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        return cmd.isEmpty() ? "[" + comm + "]" : cmd;
    }

    /** ps's STIME: HH:MM today, otherwise MonDD. */
    private static String startTime(long epochSeconds) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault());
        if (t.toLocalDate().equals(LocalDate.now(ZoneId.systemDefault()))) {
            return DateTimeFormatter.ofPattern("HH:mm").format(t);
        }
        return DateTimeFormatter.ofPattern("MMMdd", Locale.ENGLISH).format(t);
    }

    /** ps's TIME: [DD-]HH:MM:SS of CPU. */
    private static String cpuTime(long seconds) {
        long days = seconds / 86400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        return days > 0 ? days + "-" + hms : hms;
    }

    /** tty_nr as ps names it: pts/N for the pseudo terminals (major 136-143), ? for none. */
    private static String tty(int ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return "tty" + minor;
        }
        return "?";
    }

    private static Map<Integer, String> users() {
        Map<Integer, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2) {
                    out.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // numeric uids then
        }
        return out;
    }

    private static long bootTime() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException e) {
            // below
        }
        return 0;
    }

    private static double uptime() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
