package dev.berth.registry.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One range of a blob GET's {@code Range} header (RFC 9110 section 14.1.2): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. Several ranges or another unit are ignored (the whole
 * blob is sent, which RFC 9110 allows); a range that starts past the end is unsatisfiable (416).
 */
record ByteRange(long offset, long length) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** Thrown for a well-formed range that lies outside the blob. */
    static final class Unsatisfiable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsatisfiable(String header) {
            super("range " + header + " is outside the blob");
        }
    }

    /** The range asked for, clipped to the blob; empty for no (or an ignorable) header. */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) { // the last n bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0 || size == 0) {
                    throw new Unsatisfiable(header);
                }
                long length = Math.min(n, size);
                return Optional.of(new ByteRange(size - length, length));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size) {
                throw new Unsatisfiable(header);
            }
            if (last < first) {
                return Optional.empty(); // invalid per RFC 9110: ignored
            }
            return Optional.of(new ByteRange(first, last - first + 1));
        } catch (NumberFormatException e) {
            return Optional.empty(); // digits beyond a long: not a range we can serve, so ignored
        }
    }

    /** The Content-Range header of the 206 answer. */
    String contentRange(long size) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
}
