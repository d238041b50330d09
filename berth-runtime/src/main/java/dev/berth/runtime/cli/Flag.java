package dev.berth.runtime.cli;

/**
 * One command-line flag as runc declares it with urfave/cli: a long name, an optional one-letter
 * alias, how its value is read, and the help line. Flags are matched with one or two leading
 * dashes, as Go's flag package does.
 */
record Flag(String name, String alias, Kind kind, String usage, String defaultText) {

    /** How a flag's value is read; the kinds mirror the urfave/cli flag types runc uses. */
    enum Kind {
        /** Present means true; only {@code --x=false} turns it off ({@code --x false} does not). */
        BOOL,
        STRING,
        /** A signed integer, checked while parsing (Go's IntFlag). */
        INT,
        /** An unsigned integer, checked while parsing (Go's UintFlag). */
        UINT,
        /** Repeatable string; every occurrence is kept (Go's StringSliceFlag). */
        STRINGS,
        /** Repeatable 64-bit integer (Go's Int64SliceFlag). */
        INTS,
        /** A Go duration such as 5s or 1m30s, checked while parsing. */
        DURATION
    }

    static Flag bool(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.BOOL, usage, null);
    }

    static Flag string(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.STRING, usage, null);
    }

    static Flag string(String name, String alias, String usage, String defaultText) {
        return new Flag(name, alias, Kind.STRING, usage, defaultText);
    }

    static Flag integer(String name, String usage, String defaultText) {
        return new Flag(name, null, Kind.INT, usage, defaultText);
    }

    static Flag unsigned(String name, String usage, String defaultText) {
        return new Flag(name, null, Kind.UINT, usage, defaultText);
    }

    static Flag strings(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.STRINGS, usage, null);
    }

    static Flag integers(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.INTS, usage, null);
    }

    static Flag duration(String name, String usage, String defaultText) {
        return new Flag(name, null, Kind.DURATION, usage, defaultText);
    }

    boolean takesValue() {
        return kind != Kind.BOOL;
    }

    boolean matches(String given) {
        return name.equals(given) || (alias != null && alias.equals(given));
    }
}
