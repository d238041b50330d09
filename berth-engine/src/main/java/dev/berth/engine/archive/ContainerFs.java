package dev.berth.engine.archive;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A container's file tree as the host reaches it: a root (the container's own view,
 * {@code /proc/<pid>/root}, while it runs; its snapshot mounted on the host when it does not)
 * plus the mounts the host must add itself in the second case (volumes, binds, the /etc files).
 *
 * <p>Paths resolve the way securejoin (and docker's cp) does: one component at a time with
 * lstat, a symlink's target followed as if the container's root were {@code /}, so no link,
 * absolute or with {@code ..}, leads out of the container. The kernel is only ever handed paths
 * whose components are known not to be symlinks.
 */
public final class ContainerFs {
    private static final int MAX_LINKS = 40;

    /** A mount the host view lacks: {@code target} a clean absolute container path, {@code source} on the host. */
    public record Mount(String target, Path source, boolean readOnly) {}

    /** A resolved path: clean and absolute in the container, and where that is on the host. */
    public record Resolved(String path, Path host) {
        public String base() {
            return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final Path root;
    private final List<Mount> mounts;

    public ContainerFs(Path root, List<Mount> mounts) {
        this.root = root;
        List<Mount> sorted = new ArrayList<>(mounts);
        sorted.sort(Comparator.comparingInt((Mount m) -> m.target().length()).reversed());
        this.mounts = List.copyOf(sorted);
    }

    /** Where a clean absolute container path is on the host (no link followed). */
    public Path host(String clean) {
        for (Mount m : mounts) {
            if (clean.equals(m.target())) {
                return m.source();
            }
            if (clean.startsWith(m.target() + "/")) {
                return m.source().resolve(clean.substring(m.target().length() + 1));
            }
        }
        // "root/.": the root may be /proc/<pid>/root, a link an lstat would stop at
        return clean.equals("/") ? root.resolve(".") : root.resolve(clean.substring(1));
    }

    /** Whether the clean container path is where one of the host-added mounts is. */
    public boolean isMountPoint(String clean) {
        return mounts.stream().anyMatch(m -> m.target().equals(clean));
    }

    /** The innermost mount that holds the clean container path, if any. */
    public Optional<Mount> mountOf(String clean) {
        for (Mount m : mounts) {
            if (clean.equals(m.target()) || clean.startsWith(m.target() + "/")) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code path} (taken as absolute in the container) with every symlink followed in
     * scope; the last component's too only when {@code followLast}. What does not exist is
     * left as named.
     */
    public Resolved resolve(String path, boolean followLast) {
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
            boolean last = todo.stream().allMatch(p -> p.isEmpty() || p.equals("."));
            String candidate = (done.isEmpty() ? "" : join(done)) + "/" + part;
            Path host = host(candidate);
            if ((followLast || !last) && Files.isSymbolicLink(host)) {
                if (++links > MAX_LINKS) {
                    throw BerthException.invalid("too many levels of symbolic links resolving " + path);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(host).toString();
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
        String clean = join(done);
        return new Resolved(clean, host(clean));
    }

    /**
     * Makes the directory and its missing parents (0755, owned by root, as docker's untar does),
     * each step resolved again in scope; INVALID when a component is not a directory.
     */
    public Resolved mkdirs(String path) {
        Resolved target = resolve(path, true);
        if (Files.isDirectory(target.host(), LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        String at = "/";
        for (String part : target.path().split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Resolved step = resolve(at.equals("/") ? "/" + part : at + "/" + part, true);
            Path host = step.host();
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(host);
                } catch (IOException e) {
                    throw BerthException.internal("mkdir " + step.path() + ": " + e.getMessage(), e);
                }
            } else if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                throw BerthException.invalid("cannot create " + path + ": " + step.path() + " is not a directory");
            }
            at = step.path();
        }
        return resolve(path, true);
    }

    /** The path made absolute and clean lexically ("." and ".." taken as written, no link followed). */
    public static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
                continue;
            }
            parts.addLast(p);
        }
        return join(parts);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static String join(Deque<String> parts) {
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }
}
