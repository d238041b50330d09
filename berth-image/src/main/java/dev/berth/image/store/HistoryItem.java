package dev.berth.image.store;

import java.util.List;

/**
 * One row of {@code docker history} ({@code HistoryResponseItem}), newest first: the top row
 * carries the image id and its tags, older rows {@code <missing>} (docker knows no separate
 * image for them). {@code created} is unix seconds; {@code size} the bytes of the layer the
 * step made (0 for steps without a layer).
 */
public record HistoryItem(String id, long created, String createdBy, List<String> tags, long size, String comment) {
    /** The id docker shows for rows that are not an image of their own. */
    public static final String MISSING = "<missing>";

    public HistoryItem {
        tags = List.copyOf(tags);
    }
}
