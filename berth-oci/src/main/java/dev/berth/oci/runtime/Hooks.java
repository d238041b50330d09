package dev.berth.oci.runtime;

import java.util.List;

/** hooks (config.md "POSIX-platform Hooks"). prestart is deprecated but still honoured. */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {
    public static final Hooks NONE = new Hooks(null, null, null, null, null, null);

    public Hooks {
        prestart = List.copyOf(prestart == null ? List.of() : prestart);
        createRuntime = List.copyOf(createRuntime == null ? List.of() : createRuntime);
        createContainer = List.copyOf(createContainer == null ? List.of() : createContainer);
        startContainer = List.copyOf(startContainer == null ? List.of() : startContainer);
        poststart = List.copyOf(poststart == null ? List.of() : poststart);
        poststop = List.copyOf(poststop == null ? List.of() : poststop);
    }
}
