package dev.berth.registry.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a subject ("" when anonymous) may do: the ACL file's rules, or without one, everything for
 * every authenticated user and nothing for anonymous requests (distribution's htpasswd mode).
 */
final class Permissions {
    private static final Set<String> EVERYTHING = Set.of("pull", "push", "delete", "*");

    private final Supplier<Acl> acl;

    private Permissions(Supplier<Acl> acl) {
        this.acl = acl;
    }

    static Permissions of(Supplier<Acl> acl) {
        return new Permissions(acl);
    }

    static Permissions everyUserEverything() {
        return new Permissions(null);
    }

    Set<String> allowed(String subject, String type, String name) {
        return allowed(acl == null ? null : acl.get(), subject, type, name);
    }

    private static Set<String> allowed(Acl rules, String subject, String type, String name) {
        if (rules == null) {
            return subject.isEmpty() ? Set.of() : EVERYTHING;
        }
        return rules.allowed(subject, type, name);
    }

    boolean permitsAll(String subject, List<Access> wanted) {
        return missing(subject, wanted).isEmpty();
    }

    /** The actions of {@code wanted} that {@code subject} may not do, per resource; empty when all are allowed. */
    List<Access> missing(String subject, List<Access> wanted) {
        List<Access> missing = new ArrayList<>();
        Acl rules = acl == null || wanted.isEmpty() ? null : acl.get(); // one look at the file per request
        for (Access a : wanted) {
            Set<String> lacking = new TreeSet<>(a.actions());
            lacking.removeAll(allowed(rules, subject, a.type(), a.name()));
            if (!lacking.isEmpty()) {
                missing.add(new Access(a.type(), a.name(), lacking));
            }
        }
        return missing;
    }

    /** The part of {@code asked} that {@code subject} may have: what a token grants. */
    Access grant(String subject, Access asked) {
        Set<String> allowed = allowed(subject, asked.type(), asked.name());
        Set<String> granted = new TreeSet<>(asked.actions());
        granted.retainAll(allowed);
        return new Access(asked.type(), asked.name(), granted);
    }
}
