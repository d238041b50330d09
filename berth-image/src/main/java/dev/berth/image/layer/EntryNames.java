package dev.berth.image.layer;

import dev.berth.oci.BerthException;

/**
 * Turns a tar entry name into a clean path relative to the layer root, the way docker and
 * containerd read names: leading "/" and "./" are dropped ("/etc/x" is "etc/x" inside the
 * root), empty and "." components are skipped, and any ".." component is refused outright,
 * even one that would stay inside ("a/../b"): real layers never need it and it is the
 * commonest escape.
 */
final class EntryNames {
    private EntryNames() {
    }

    /** The relative path ("" for the root itself), components joined by "/". */
    static String clean(String name) {
        if (name.indexOf('\0') >= 0) {
            throw BerthException.invalid("layer entry " + quote(name) + " has a NUL byte in its name");
        }
        // fast path: already clean (the common case for docker-written layers)
        if (!name.isEmpty() && name.charAt(0) != '/' && !name.startsWith("./") && !name.contains("//")
                && !hasDotComponent(name)) {
            return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw escapes(name);
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static boolean hasDotComponent(String name) {
        int start = 0;
        while (start <= name.length()) {
            int slash = name.indexOf('/', start);
            int end = slash < 0 ? name.length() : slash;
            int len = end - start;
            if ((len == 1 && name.charAt(start) == '.')
                    || (len == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.')) {
                return true;
            }
            if (slash < 0) {
                return false;
            }
            start = slash + 1;
        }
        return false;
    }

    /** The parent of a clean relative path ("" for top-level names). */
    static String parent(String clean) {
        int slash = clean.lastIndexOf('/');
        return slash < 0 ? "" : clean.substring(0, slash);
    }

    static String baseName(String clean) {
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    static BerthException escapes(String name) {
        return BerthException.invalid("layer entry " + quote(name) + " escapes the layer root");
    }

    static String quote(String name) {
        return "\"" + name + "\"";
    }
}
