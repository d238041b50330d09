package dev.berth.cli.commands;

import dev.berth.client.ApiClient;
import dev.berth.client.ApiResponse;

/** The image routes several commands share. */
final class ImageRequests {
    private ImageRequests() {}

    /** GET /images/{name}/json, the body as sent (docker prints it re-indented, not re-encoded). */
    static String inspectRaw(ApiClient client, String name) {
        try (ApiResponse response = client.send("GET", "/images/" + PathSegment.escape(name) + "/json", null, null, null,
                null)) {
            return response.text();
        }
    }
}
