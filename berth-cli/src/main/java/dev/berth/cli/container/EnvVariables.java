package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The environment list of --env-file files then -e flags, as run, create and exec send it. */
public final class EnvVariables {
    private EnvVariables() {}

    public static List<String> of(List<String> files, List<String> flags, Map<String, String> environment) {
        List<String> out = new ArrayList<>();
        for (String file : files) {
            out.addAll(EnvFile.read(file, environment));
        }
        for (String e : flags) {
            EnvFile.addVariable(e, environment, out);
        }
        return out;
    }
}
