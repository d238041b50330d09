package dev.berth.oci.runtime;

import java.util.List;

/** process.capabilities: the five sets, each a list of names such as CAP_CHOWN. */
public record Capabilities(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {
    public Capabilities {
        bounding = List.copyOf(bounding == null ? List.of() : bounding);
        effective = List.copyOf(effective == null ? List.of() : effective);
        inheritable = List.copyOf(inheritable == null ? List.of() : inheritable);
        permitted = List.copyOf(permitted == null ? List.of() : permitted);
        ambient = List.copyOf(ambient == null ? List.of() : ambient);
    }
}
