package dev.berth.cli.commands.container;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --restart no|always|unless-stopped|on-failure[:N]} as the API's RestartPolicy object. */
final class RestartPolicy {
    private RestartPolicy() {}

    static Map<String, Object> parse(String text) {
        Map<String, Object> policy = new LinkedHashMap<>();
        String name = text;
        long retries = 0;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            try {
                retries = Long.parseLong(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        policy.put("Name", name);
        policy.put("MaximumRetryCount", retries);
        return policy;
    }
}
