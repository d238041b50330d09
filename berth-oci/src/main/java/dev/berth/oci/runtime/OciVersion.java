package dev.berth.oci.runtime;

/**
 * The runtime-spec versions berth recognizes (features.md "Specification version"): configs
 * from {@link #MIN} on are read; {@link #MAX} is what berth writes in the configs it generates.
 */
public final class OciVersion {
    public static final String MIN = "1.0.0";
    public static final String MAX = "1.2.0";

    private OciVersion() {}
}
