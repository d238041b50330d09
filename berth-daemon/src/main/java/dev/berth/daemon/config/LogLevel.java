package dev.berth.daemon.config;

import dev.berth.oci.BerthException;
import java.util.Locale;

/** dockerd's --log-level values (logrus's names), mapped onto the SLF4J levels berthd logs with. */
public enum LogLevel {
    TRACE("TRACE"), DEBUG("DEBUG"), INFO("INFO"), WARN("WARN"), ERROR("ERROR"), FATAL("ERROR"), PANIC("ERROR");

    private final String slf4j;

    LogLevel(String slf4j) {
        this.slf4j = slf4j;
    }

    public static LogLevel parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("warning")) {
            return WARN;
        }
        for (LogLevel level : values()) {
            if (level.name().toLowerCase(Locale.ROOT).equals(v)) {
                return level;
            }
        }
        throw BerthException.invalid("unable to parse logging level: " + text);
    }

    /** The level name jetty-slf4j-impl understands. */
    public String slf4jName() {
        return slf4j;
    }
}
