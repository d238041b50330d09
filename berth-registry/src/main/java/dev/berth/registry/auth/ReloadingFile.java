package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A small configuration file (htpasswd, ACL) parsed once and parsed again when it changes on
 * disk, so an operator can add a user without restarting the registry. A change is seen from
 * the file's inode, size and modification time, checked on each {@link #current()} (one stat).
 *
 * <p>The first load must succeed: a bad file at start-up is an error with its line number. A
 * bad edit later keeps the last good content and is logged once, so a half-saved file never
 * locks everyone out or lets everyone in.
 */
final class ReloadingFile<T> {
    private static final System.Logger LOG = System.getLogger(ReloadingFile.class.getName());

    private final Path path;
    private final BiFunction<String, String, T> parser;
    private volatile Loaded<T> loaded;

    private record Stamp(Object fileKey, long size, long modifiedNanos) {
    }

    private record Loaded<T>(Stamp stamp, T value) {
    }

    /**
     * @param parser (text, source name for messages) → value; throws BerthException on bad input
     * @throws BerthException INVALID_ARGUMENT when the file cannot be read or parsed
     */
    ReloadingFile(Path path, BiFunction<String, String, T> parser) {
        this.path = Objects.requireNonNull(path);
        this.parser = parser;
        Stamp stamp = stamp();
        if (stamp == null) {
            throw BerthException.invalid("cannot read " + path + ": no such file");
        }
        this.loaded = new Loaded<>(stamp, parse());
    }

    /** The content as of the last good parse, re-read first if the file changed. */
    T current() {
        Loaded<T> now = loaded;
        Stamp stamp = stamp();
        if (stamp == null || stamp.equals(now.stamp())) {
            // a vanished file (mid-rename, or removed) keeps the last good content
            return now.value();
        }
        synchronized (this) {
            if (!stamp.equals(loaded.stamp())) {
                try {
                    loaded = new Loaded<>(stamp, parse());
                    LOG.log(System.Logger.Level.INFO, "reloaded " + path);
                } catch (BerthException e) {
                    // remember the stamp so the same bad content is reported once, not per request
                    loaded = new Loaded<>(stamp, loaded.value());
                    LOG.log(System.Logger.Level.WARNING, "keeping the previous " + path + ": " + e.getMessage());
                }
            }
            return loaded.value();
        }
    }

    private T parse() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BerthException.invalid("cannot read " + path + ": " + e.getMessage());
        }
        return parser.apply(text, path.toString());
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return null;
        }
    }
}
