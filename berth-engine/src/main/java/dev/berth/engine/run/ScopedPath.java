package dev.berth.engine.run;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a container path inside its root filesystem the way securejoin does: symlinks in the
 * image are followed as if the root were {@code /}, so no link (absolute or with {@code ..})
 * can lead out of it. Used for what the engine itself creates in a rootfs (the working dir).
 */
public final class ScopedPath {
    private static final int MAX_LINKS = 40;

    private ScopedPath() {}

    public static Path resolve(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw BerthException.invalid("too many levels of symbolic links resolving " + path);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw BerthException.internal("readlink " + candidate + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return join(root, done);
    }

    /** Makes the directory (and parents) inside root, owned by uid:gid where it creates them. */
    public static Path mkdirs(Path root, String path, int uid, int gid) {
        Path target = resolve(root, path);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        String rel = root.relativize(target).toString();
        Path at = root;
        for (String part : rel.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            // each step again through resolve: a component made meanwhile could be a link
            at = resolve(root, "/" + root.relativize(at.resolve(part)));
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(at);
                    Files.setAttribute(at, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(at, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    throw BerthException.internal("mkdir " + at + ": " + e.getMessage(), e);
                }
            } else if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                throw BerthException.invalid("cannot mkdir: " + path + " is not a directory in the container");
            }
        }
        return target;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
