package dev.berth.engine;

import java.util.Optional;

/** What {@code GET /exec/{id}/json} shows: its container, config, whether it runs, its pid and exit code. */
public record ExecInstance(String id, String containerId, ExecConfig config, boolean running, int pid,
                           Optional<Integer> exitCode) {}
