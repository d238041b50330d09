package dev.berth.registry.auth;

import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scope strings of token requests ({@code repository:library/busybox:pull,push},
 * {@code registry:catalog:*}), as docker's token spec writes them: several per {@code scope}
 * parameter separated by spaces (OAuth2's form) or one per repeated parameter (docker's GET).
 */
final class Scopes {
    static final int MAX_SCOPES = 64;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9()]+");
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");

    private Scopes() {
    }

    /** @throws IllegalArgumentException naming the scope that is malformed */
    static List<Access> parse(List<String> params) {
        List<Access> scopes = new ArrayList<>();
        for (String param : params) {
            for (String scope : param.strip().split("\\s+")) {
                if (!scope.isEmpty()) {
                    scopes.add(parseOne(scope));
                }
            }
        }
        if (scopes.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("more than " + MAX_SCOPES + " scopes");
        }
        return scopes;
    }

    private static Access parseOne(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first || last == scope.length() - 1) {
            throw new IllegalArgumentException("invalid scope " + scope + ": expected type:name:actions");
        }
        String type = scope.substring(0, first);
        String name = scope.substring(first + 1, last);
        Set<String> actions = new LinkedHashSet<>(Arrays.asList(scope.substring(last + 1).split(",")));
        if (!TYPE.matcher(type).matches() || actions.stream().anyMatch(a -> !ACTION.matcher(a).matches())) {
            throw new IllegalArgumentException("invalid scope " + scope);
        }
        if (type.equals("repository")) {
            try {
                RepositoryName.of(name);
            } catch (RegistryException e) {
                throw new IllegalArgumentException("invalid scope " + scope + ": " + e.getMessage());
            }
        }
        return new Access(type, name, actions);
    }
}
