package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.Objects;

/**
 * One of HostConfig.Mounts, or a parsed HostConfig.Binds entry. Types: {@code bind} (a host
 * path) and {@code tmpfs}; named volumes come with the volume store.
 *
 * @param tmpfsSizeBytes 0 for the kernel's default
 * @param tmpfsMode 0 for the default (1777)
 * @param noCopy a volume's {@code nocopy} (-v) or VolumeOptions.NoCopy (--mount): a new, empty
 *     volume is not given the image's files at its path
 */
public record MountSpec(Type type, String source, String target, boolean readOnly, long tmpfsSizeBytes, int tmpfsMode,
                        boolean noCopy) {
    public enum Type { BIND, TMPFS, VOLUME }

    /** Without nocopy (the fields before it existed). */
    public MountSpec(Type type, String source, String target, boolean readOnly, long tmpfsSizeBytes, int tmpfsMode) {
        this(type, source, target, readOnly, tmpfsSizeBytes, tmpfsMode, false);
    }

    public MountSpec {
        Objects.requireNonNull(type, "type");
        source = Objects.requireNonNullElse(source, "");
        if (target == null || target.isEmpty()) {
            throw BerthException.invalid("invalid mount config for type \"" + type.name().toLowerCase() + "\": field Target must not be empty");
        }
        if (!target.startsWith("/")) {
            throw BerthException.invalid("invalid mount config for type \"" + type.name().toLowerCase()
                    + "\": invalid mount path: '" + target + "' mount path must be absolute");
        }
        if (type == Type.BIND) {
            if (source.isEmpty()) {
                throw BerthException.invalid("invalid mount config for type \"bind\": field Source must not be empty");
            }
            if (!source.startsWith("/")) {
                throw BerthException.invalid("invalid mount config for type \"bind\": invalid mount path: '" + source
                        + "' mount path must be absolute");
            }
        }
        if (type == Type.VOLUME && !source.isEmpty() && source.startsWith("/")) {
            throw BerthException.invalid("invalid mount config for type \"volume\": invalid volume name: '" + source + "'");
        }
        if (type == Type.TMPFS && !source.isEmpty()) {
            throw BerthException.invalid("invalid mount config for type \"tmpfs\": field Source must not be specified");
        }
    }

    public static MountSpec bind(String source, String target, boolean readOnly) {
        return new MountSpec(Type.BIND, source, target, readOnly, 0, 0);
    }

    /** A named volume (an empty name: an anonymous one, made at create). */
    public static MountSpec volume(String name, String target, boolean readOnly) {
        return new MountSpec(Type.VOLUME, name, target, readOnly, 0, 0);
    }

    public MountSpec withSource(String newSource) {
        return new MountSpec(type, newSource, target, readOnly, tmpfsSizeBytes, tmpfsMode, noCopy);
    }

    public MountSpec withNoCopy(boolean no) {
        return new MountSpec(type, source, target, readOnly, tmpfsSizeBytes, tmpfsMode, no);
    }

    public static MountSpec tmpfs(String target, long sizeBytes, int mode) {
        return new MountSpec(Type.TMPFS, "", target, false, sizeBytes, mode);
    }

    /**
     * A {@code -v} bind: {@code /host:/ctr[:ro|rw]}; a source that is not absolute is a named
     * volume ({@code data:/ctr}).
     */
    public static MountSpec parseBind(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw BerthException.invalid("invalid volume specification: '" + spec + "'");
        }
        boolean readOnly = false;
        boolean noCopy = false;
        if (parts.length == 3) {
            for (String opt : parts[2].split(",")) {
                switch (opt) {
                    case "ro" -> readOnly = true;
                    case "nocopy" -> noCopy = true;
                    case "rw", "z", "Z", "rprivate", "private", "rslave", "slave", "rshared", "shared", "" -> { }
                    default -> throw BerthException.invalid("invalid mode: " + opt);
                }
            }
        }
        if (!parts[0].startsWith("/")) {
            if (parts[0].isEmpty()) {
                throw BerthException.invalid("invalid volume specification: '" + spec + "'");
            }
            return volume(parts[0], parts[1], readOnly).withNoCopy(noCopy);
        }
        if (noCopy) {
            throw BerthException.invalid("invalid mode: nocopy: only a volume can be nocopy");
        }
        return bind(parts[0], parts[1], readOnly);
    }
}
