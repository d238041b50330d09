package dev.berth.registry.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One page of a sorted list (tags, repositories) as spec.md "Listing Tags" pages it: the entries
 * after {@code last}, at most {@code n} of them, and a {@code Link: <…>; rel="next"} when more
 * follow. {@code n=0} is an empty page without a Link; a missing, negative or unreadable
 * {@code n} means no limit (distribution refuses those, but the spec names no error code for it).
 */
record Page(List<String> entries, Optional<String> nextLink) {

    static Page of(List<String> sorted, Optional<String> nText, Optional<String> last, String basePath) {
        int from = 0;
        if (last.isPresent()) {
            String after = last.get();
            while (from < sorted.size() && sorted.get(from).compareTo(after) <= 0) {
                from++;
            }
        }
        int n = nText.flatMap(Page::parseCount).orElse(-1);
        if (n < 0 || from + (long) n >= sorted.size()) {
            return new Page(sorted.subList(from, sorted.size()), Optional.empty());
        }
        if (n == 0) {
            return new Page(List.of(), Optional.empty());
        }
        List<String> entries = sorted.subList(from, from + n);
        String next = basePath + "?n=" + n + "&last=" + URLEncoder.encode(entries.getLast(), StandardCharsets.UTF_8);
        return new Page(entries, Optional.of("<" + next + ">; rel=\"next\""));
    }

    private static Optional<Integer> parseCount(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            return n < 0 ? Optional.empty() : Optional.of(n);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
