package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Range of an upload chunk (spec.md "Pushing a blob in chunks"): {@code start-end},
 * inclusive. Docker's and some other clients write {@code bytes start-end} or
 * {@code bytes=start-end}; those are read too. Anything else is RANGE_INVALID (416).
 */
record ChunkRange(long start, long end) {
    private static final Pattern RANGE = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d+|\\*))?");

    static ChunkRange parse(String header) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "invalid Content-Range \"" + header + "\": want start-end");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "invalid Content-Range \"" + header + "\": end before start");
        }
        return new ChunkRange(start, end);
    }

    long length() {
        return end - start + 1;
    }
}
