package dev.berth.engine.container;

/**
 * A container's lifecycle state, with docker's words. The guards say which verbs each state
 * allows; {@link dev.berth.engine.ContainerEngine} checks them before acting (refresh → guard
 * → act → persist).
 *
 * <pre>
 * created ──start──▶ running ──exit──▶ exited ──start──▶ running
 *                    │  ▲   └─exit, policy says again─▶ restarting ──backoff──▶ running
 *              pause │  │ unpause
 *                    ▼  │
 *                   paused
 * any ──rm──▶ removing ──▶ (gone)      a failed removal ──▶ dead
 * </pre>
 */
public enum Status {
    CREATED("created"),
    RUNNING("running"),
    PAUSED("paused"),
    RESTARTING("restarting"),
    REMOVING("removing"),
    EXITED("exited"),
    DEAD("dead");

    private final String word;

    Status(String word) {
        this.word = word;
    }

    /** docker's State.Status value. */
    public String word() {
        return word;
    }

    public static Status fromWord(String word) {
        for (Status s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        throw dev.berth.oci.BerthException.invalid("unknown container status \"" + word + "\"");
    }

    /** A process exists (or is about to, for restarting). */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }

    public boolean canStart() {
        return this == CREATED || this == EXITED;
    }

    public boolean canStop() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }

    public boolean canSignal() {
        return this == RUNNING || this == PAUSED;
    }

    public boolean canPause() {
        return this == RUNNING;
    }

    public boolean canUnpause() {
        return this == PAUSED;
    }

    /** Removable without force. */
    public boolean canRemove() {
        return this == CREATED || this == EXITED || this == DEAD;
    }
}
