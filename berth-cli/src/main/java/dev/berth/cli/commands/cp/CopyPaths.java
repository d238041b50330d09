package dev.berth.cli.commands.cp;

import java.nio.file.Path;

/**
 * The path rules of docker's archive package (moby/go-archive), which decide what {@code cp}
 * does: a trailing "/" asserts a directory, a trailing "/." means "the contents of", and the
 * entry names of a copied tree are renamed ("rebased") to the destination's base name.
 */
final class CopyPaths {
    private CopyPaths() {}

    /** A path split into its parent and last element, after Go's filepath.Clean; "dir/." keeps "." as the element. */
    record DirEntry(String dir, String base) {}

    static DirEntry splitDirEntry(String path) {
        String cleaned = clean(path);
        if (specifiesCurrentDir(path)) {
            cleaned = cleaned.equals("/") ? "/." : cleaned + "/.";
        }
        return new DirEntry(dir(cleaned), base(cleaned));
    }

    static boolean hasTrailingSeparator(String path) {
        return !path.isEmpty() && path.endsWith("/");
    }

    static boolean specifiesCurrentDir(String path) {
        return base(path).equals(".");
    }

    /** A trailing "/" or "/." says the destination must be a directory. */
    static boolean assertsDirectory(String path) {
        return hasTrailingSeparator(path) || specifiesCurrentDir(path);
    }

    /** An absolute local path that keeps the trailing "/" or "/." the user wrote. */
    static String resolveLocal(String path) {
        String abs = clean(Path.of(path).toAbsolutePath().toString());
        return preserveTrailing(abs, path);
    }

    static String preserveTrailing(String cleaned, String original) {
        String out = cleaned;
        if (specifiesCurrentDir(original) && !specifiesCurrentDir(out)) {
            out = out.endsWith("/") ? out + "." : out + "/.";
        }
        if (hasTrailingSeparator(original) && !hasTrailingSeparator(out)) {
            out += "/";
        }
        return out;
    }

    /**
     * docker's GetRebaseName: the resolved path with the original's trailing "/" or "/.", and the
     * name the archive's entries must take when resolving a link changed the last element.
     */
    static String[] rebaseName(String path, String resolved) {
        String out = preserveTrailing(resolved, path);
        String rebase = base(path).equals(base(out)) ? "" : base(path);
        return new String[] {out, rebase};
    }

    /** Go's filepath.Base. */
    static String base(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            return "/";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Go's filepath.Dir. */
    static String dir(String path) {
        int slash = path.lastIndexOf('/');
        String d = clean(slash < 0 ? "." : path.substring(0, slash + 1));
        return d;
    }

    /** Go's filepath.Clean: no "." or "..", no double or trailing slashes. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** An archive entry name renamed from {@code oldBase} to {@code newBase} when it is that entry or under it. */
    static String rebase(String name, String oldBase, String newBase) {
        if (oldBase.equals("/") || oldBase.isEmpty()) {
            return newBase + "/" + name;
        }
        if (name.equals(oldBase)) {
            return newBase;
        }
        if (name.startsWith(oldBase + "/")) {
            return newBase + name.substring(oldBase.length());
        }
        return name;
    }
}
