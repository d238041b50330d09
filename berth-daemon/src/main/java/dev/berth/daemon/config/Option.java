package dev.berth.daemon.config;

import java.util.List;
import java.util.Optional;

/**
 * The settings berthd takes from both its command line and daemon.json, named by their
 * daemon.json keys (dockerd's), with the flag spellings that set them.
 */
public enum Option {
    HOSTS("hosts", Type.LIST, "host", "H"),
    DATA_ROOT("data-root", Type.STRING, "data-root", null),
    EXEC_ROOT("exec-root", Type.STRING, "exec-root", null),
    PIDFILE("pidfile", Type.STRING, "pidfile", "p"),
    TLS("tls", Type.BOOL, "tls", null),
    TLS_VERIFY("tlsverify", Type.BOOL, "tlsverify", null),
    TLS_CA_CERT("tlscacert", Type.STRING, "tlscacert", null),
    TLS_CERT("tlscert", Type.STRING, "tlscert", null),
    TLS_KEY("tlskey", Type.STRING, "tlskey", null),
    LOG_LEVEL("log-level", Type.STRING, "log-level", "l"),
    DEBUG("debug", Type.BOOL, "debug", "D"),
    BRIDGE("bridge", Type.STRING, "bridge", "b"),
    BIP("bip", Type.STRING, "bip", null),
    INSECURE_REGISTRIES("insecure-registries", Type.LIST, "insecure-registry", null),
    REGISTRY_MIRRORS("registry-mirrors", Type.LIST, "registry-mirror", null);

    public enum Type { STRING, BOOL, LIST }

    private final String key;
    private final Type type;
    private final String longFlag;
    private final String shortFlag;

    Option(String key, Type type, String longFlag, String shortFlag) {
        this.key = key;
        this.type = type;
        this.longFlag = longFlag;
        this.shortFlag = shortFlag;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public static Optional<Option> byKey(String key) {
        for (Option o : values()) {
            if (o.key.equals(key)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The option a flag sets: {@code host} when long, {@code H} when short. */
    public static Optional<Option> byFlag(String flag, boolean isLong) {
        for (Option o : values()) {
            if (isLong ? o.longFlag.equals(flag) : flag.equals(o.shortFlag)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** How dockerd prints a value in its conflict message: lists as [a b], the rest as is. */
    static String show(Object value) {
        if (value instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(value);
    }
}
