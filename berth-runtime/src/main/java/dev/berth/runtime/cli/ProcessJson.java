package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.ConsoleSize;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Rlimit;
import dev.berth.oci.runtime.User;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OCI process object (config.md "Process"), the file given to {@code exec --process}.
 * Interim: the shared {@code SpecJson} codec will own this mapping; the CLI only needs the
 * process part of it.
 */
final class ProcessJson {
    private ProcessJson() {}

    static Process parse(String text, String source) {
        JsonFields p = JsonFields.root(CliJson.parse(text, source), source);
        return new Process(
                p.bool("terminal", false),
                consoleSize(p.object("consoleSize")),
                p.string("cwd"),
                p.strings("env"),
                p.strings("args"),
                p.string("commandLine"),
                rlimits(p.objects("rlimits")),
                p.string("apparmorProfile"),
                capabilities(p.object("capabilities")),
                p.bool("noNewPrivileges", false),
                p.integer("oomScoreAdj"),
                p.string("selinuxLabel"),
                user(p.object("user")));
    }

    private static ConsoleSize consoleSize(JsonFields size) {
        return size == null ? null : new ConsoleSize(nonNull(size.integer("height")), nonNull(size.integer("width")));
    }

    private static List<Rlimit> rlimits(List<JsonFields> items) {
        List<Rlimit> out = new ArrayList<>(items.size());
        for (JsonFields item : items) {
            out.add(new Rlimit(item.string("type"), item.number("soft", 0), item.number("hard", 0)));
        }
        return out;
    }

    private static Capabilities capabilities(JsonFields caps) {
        if (caps == null) {
            return null;
        }
        return new Capabilities(caps.strings("bounding"), caps.strings("effective"), caps.strings("inheritable"),
                caps.strings("permitted"), caps.strings("ambient"));
    }

    private static User user(JsonFields user) {
        if (user == null) {
            return null;
        }
        return new User(user.number("uid", 0), user.number("gid", 0), user.integer("umask"),
                user.numbers("additionalGids"), user.string("username"));
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
