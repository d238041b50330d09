package dev.berth.engine.container;

import dev.berth.oci.BerthException;

/**
 * HostConfig.RestartPolicy: {@code no}, {@code on-failure[:N]}, {@code always},
 * {@code unless-stopped}. Docker's rules: a retry count only with on-failure, never negative.
 */
public record RestartPolicy(Name name, int maximumRetryCount) {
    public enum Name {
        NO("no"), ON_FAILURE("on-failure"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped");

        private final String word;

        Name(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public static final RestartPolicy NO = new RestartPolicy(Name.NO, 0);

    public RestartPolicy {
        if (maximumRetryCount < 0) {
            throw BerthException.invalid("invalid restart policy: maximum retry count cannot be negative");
        }
        if (maximumRetryCount > 0 && name != Name.ON_FAILURE) {
            throw BerthException.invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        }
    }

    /** The API's form: Name "" means no; Name as docker spells it. */
    public static RestartPolicy of(String name, int maximumRetryCount) {
        Name n = switch (name == null ? "" : name) {
            case "", "no" -> Name.NO;
            case "on-failure" -> Name.ON_FAILURE;
            case "always" -> Name.ALWAYS;
            case "unless-stopped" -> Name.UNLESS_STOPPED;
            default -> throw BerthException.invalid("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        };
        return new RestartPolicy(n, maximumRetryCount);
    }

    /** The CLI's form, {@code on-failure:3}. */
    public static RestartPolicy parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return of(text, 0);
        }
        try {
            return of(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid restart policy format: maximum retry count must be an integer");
        }
    }

    public boolean isNone() {
        return name == Name.NO;
    }
}
