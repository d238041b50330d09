package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Per-repository permissions, one rule a line: {@code <who> <what> <actions>}.
 *
 * <pre>
 * # who       what              actions
 * anonymous   public/**         pull
 * *           library/*         pull
 * *           ${user}/**        pull,push
 * ci          **                pull,push
 * admin       **                *
 * admin       registry:catalog  *
 * </pre>
 *
 * <ul>
 *   <li>who: a user name from the htpasswd file, {@code *} for every authenticated user, or
 *       {@code anonymous} for requests without credentials. What anonymous may do, every user
 *       may do too.
 *   <li>what: a repository glob, where {@code *} matches within one path component,
 *       {@code **} across components and {@code ?} one character other than '/', and
 *       {@code ${user}} stands for the user's own name; or {@code registry:catalog} for
 *       {@code GET /v2/_catalog}.
 *   <li>actions: a comma-separated subset of {@code pull}, {@code push}, {@code delete}, or
 *       {@code *} for all of them.
 * </ul>
 *
 * Rules add up (there is no deny); a request is allowed when the rules matching its user and
 * repository together give every action it needs. Blank lines and {@code #} comments are
 * skipped; anything else malformed is an error naming its line.
 */
public final class Acl {
    public static final String ANONYMOUS = "anonymous";
    public static final String ANY_USER = "*";
    static final String CATALOG = "registry:catalog";
    private static final String USER = "${user}";
    static final Set<String> REPOSITORY_ACTIONS = Set.of("pull", "push", "delete");

    private static final Pattern GLOB = Pattern.compile("(?:[a-z0-9._\\-/*?]|\\$\\{user\\})+");

    private final List<Rule> rules;

    private record Rule(String who, String what, boolean catalog, Map<String, Pattern> patterns, Set<String> actions) {
        boolean appliesTo(String subject) {
            // anonymous rules hold for everyone; "*" for anyone who logged in
            return who.equals(ANONYMOUS) || !subject.isEmpty() && (who.equals(ANY_USER) || who.equals(subject));
        }

        boolean matchesRepository(String subject, String name) {
            if (catalog) {
                return false;
            }
            boolean personal = what.contains(USER);
            if (personal && subject.isEmpty()) {
                return false; // anonymous has no namespace of its own
            }
            // one compiled pattern per user for ${user} rules, one in all for the others
            Pattern p = patterns.computeIfAbsent(personal ? subject : "", s -> compile(what, s));
            return p.matcher(name).matches();
        }
    }

    private Acl(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** @throws BerthException INVALID_ARGUMENT naming the line of a malformed rule */
    public static Acl parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw BerthException.invalid(where + ": expected <user|*|anonymous> <repository glob|registry:catalog> <actions>");
            }
            String what = f[1];
            boolean catalog = what.equals(CATALOG);
            if (!catalog && !GLOB.matcher(what).matches()) {
                throw BerthException.invalid(where + ": \"" + what
                        + "\" is not a repository glob (lower-case names, /, *, **, ?, ${user}) nor registry:catalog");
            }
            rules.add(new Rule(f[0], what, catalog, new ConcurrentHashMap<>(), actions(f[2], catalog, where)));
        }
        return new Acl(rules);
    }

    /** What {@code subject} ("" for anonymous) may do with the resource; {@code *} among them means all. */
    public Set<String> allowed(String subject, String type, String name) {
        Set<String> allowed = new TreeSet<>();
        for (Rule rule : rules) {
            if (!rule.appliesTo(subject)) {
                continue;
            }
            boolean matches = switch (type) {
                case "repository" -> rule.matchesRepository(subject, name);
                case "registry" -> rule.catalog() && (type + ":" + name).equals(CATALOG);
                default -> false;
            };
            if (matches) {
                allowed.addAll(rule.actions());
            }
        }
        return allowed;
    }

    /** Whether {@code subject} may do everything {@code access} asks. */
    public boolean permits(String subject, Access access) {
        return allowed(subject, access.type(), access.name()).containsAll(access.actions());
    }

    private static Set<String> actions(String field, boolean catalog, String where) {
        Set<String> actions = new TreeSet<>();
        for (String a : field.split(",", -1)) {
            if (a.equals("*")) {
                actions.add("*");
                if (!catalog) {
                    actions.addAll(REPOSITORY_ACTIONS);
                }
            } else if (!catalog && REPOSITORY_ACTIONS.contains(a)) {
                actions.add(a);
            } else {
                throw BerthException.invalid(where + ": unknown action \"" + a + "\" (" + (catalog ? "*" : "pull, push, delete or *") + ")");
            }
        }
        return actions;
    }

    /** The glob as a regex, {@code ${user}} as the literal {@code user}. */
    private static Pattern compile(String glob, String user) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith(USER, i)) {
                re.append(Pattern.quote(user));
                i += USER.length() - 1;
            } else if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
