package dev.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and a path template such as {@code /images/{name*}/json}. {@code {x}} matches one path
 * segment; {@code {x*}} matches one or more, slashes included, because image names carry them
 * ({@code localhost:5000/a/b:tag}), as dockerd's {@code {name:.*}} routes do. The greedy match
 * still leaves the template's fixed tail to the end of the path, so {@code /images/a/b/json}
 * gives name {@code a/b}.
 *
 * <p>{@code inline} says which calls of the route are answered on the thread that read the
 * request (Jetty's selector) instead of one of the daemon's request threads: see
 * {@link Router#getInline}.
 */
public record Route(String method, String template, RouteHandler handler, Pattern pattern, List<String> names,
        Predicate<ApiCall> inline) {

    private static final Predicate<ApiCall> NEVER = call -> false;

    public static Route of(String method, String template, RouteHandler handler) {
        return of(method, template, NEVER, handler);
    }

    public static Route of(String method, String template, Predicate<ApiCall> inline, RouteHandler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("route template must start with /: " + template);
        }
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}").matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at))).append('$');
        return new Route(method, template, handler, Pattern.compile(regex.toString()), List.copyOf(names), inline);
    }

    /** The path parameters when the path fits the template. */
    public Optional<Map<String, String>> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), m.group(i + 1));
        }
        return Optional.of(params);
    }
}
