package dev.berth.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker's ReplaceOrAppendEnvValues: later entries replace earlier ones with the same key, in place. */
public final class EnvMerge {
    /** Docker's default PATH (a container whose image sets none gets it). */
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private EnvMerge() {}

    public static List<String> replaceOrAppend(List<String> base, List<String> overrides) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : base) {
            byKey.put(key(e), e);
        }
        for (String e : overrides) {
            if (e.indexOf('=') < 0) {
                // "FOO" alone in an override unsets it, as docker does
                byKey.remove(e);
                continue;
            }
            byKey.put(key(e), e);
        }
        return new ArrayList<>(byKey.values());
    }

    static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    /** What the container's process gets: PATH, HOSTNAME (and TERM with a tty) unless the config's env sets them. */
    public static List<String> processEnv(List<String> configEnv, String hostname, boolean tty) {
        List<String> defaults = new ArrayList<>();
        defaults.add(DEFAULT_PATH);
        defaults.add("HOSTNAME=" + hostname);
        if (tty) {
            defaults.add("TERM=xterm");
        }
        return replaceOrAppend(defaults, configEnv);
    }
}
