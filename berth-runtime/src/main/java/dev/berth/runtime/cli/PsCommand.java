package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ps}: the container's processes. As runc does, the table comes from the host's
 * {@code ps} (default options {@code -ef}, or the arguments after the id), filtered to the lines
 * whose PID column holds one of the container's pids; --format json prints the pids alone.
 */
final class PsCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("ps", "show the processes running inside a container", "<container-id> [ps options]",
                "Runs the host's ps (with -ef unless other options follow the id) and keeps the\n"
                        + "lines of the container's processes.",
                Flag.string("format", "f", "output format: table or json", "\"table\""));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireAtLeast("ps", 1);
        String format = args.string("format");
        List<Integer> pids = context.runtime().pids(args.positional(0));
        if (format != null && format.equals("json")) {
            context.out().print(pidsJson(pids) + "\n");
            return 0;
        }
        if (format != null && !format.equals("table")) {
            throw BerthException.invalid("invalid format option: " + format + " (want table or json)");
        }
        List<String> psArgs = args.rest().isEmpty() ? List.of("-ef") : args.rest();
        context.out().print(filter(hostPs(psArgs), pids));
        return 0;
    }

    static String pidsJson(List<Integer> pids) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < pids.size(); i++) {
            out.append(i == 0 ? "" : ",").append(pids.get(i));
        }
        return out.append(']').toString();
    }

    /** The header line, then every line whose PID field is one of pids. */
    static String filter(String psOutput, List<Integer> pids) {
        String[] lines = psOutput.split("\n");
        int column = pidColumn(lines[0]);
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (column >= fields.length || !FlagParser.isInteger(fields[column], false)) {
                throw BerthException.internal("ps: cannot read a pid in line: " + line);
            }
            if (pids.contains(Integer.valueOf(fields[column]))) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static int pidColumn(String header) {
        String[] titles = header.trim().split("\\s+");
        for (int i = 0; i < titles.length; i++) {
            if (titles[i].equals("PID")) {
                return i;
            }
        }
        throw BerthException.invalid("ps: the output has no PID column (keep the pid field in the ps options)");
    }

    private static String hostPs(List<String> psArgs) {
        List<String> command = new ArrayList<>(psArgs.size() + 1);
        command.add("ps");
        command.addAll(psArgs);
        try {
            java.lang.Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = ps.waitFor();
            if (status != 0) {
                throw BerthException.internal("ps " + String.join(" ", psArgs) + " failed with status " + status + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw BerthException.internal("cannot run ps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted while running ps", e);
        }
    }
}
