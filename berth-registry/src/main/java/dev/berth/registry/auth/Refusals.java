package dev.berth.registry.auth;

import dev.berth.registry.ErrorCode;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The words of a refusal. They name what was refused ("requested access to the resource is
 * denied (bob/app: push)") for the user's sake, and also because docker's client needs them
 * to differ from the code's bare message: it turns an error whose message equals the code's
 * default and which has no detail into a bare code, which its push does not recognise as final
 * and retries five times over 50 s. (distribution avoids this with a detail; ours carries it in
 * the message.)
 */
final class Refusals {
    private Refusals() {
    }

    static String message(ErrorCode code, List<Access> missing) {
        if (missing.isEmpty()) {
            return code.defaultMessage();
        }
        return code.defaultMessage() + " (" + missing.stream()
                .map(a -> (a.type().equals("repository") ? a.name() : a.type() + ":" + a.name())
                        + ": " + String.join(",", new TreeSet<>(a.actions())))
                .collect(Collectors.joining("; ")) + ")";
    }
}
