package dev.berth.cli;

/**
 * Marks a command whose docker counterpart checks its arguments with cobra's RequiresRangeArgs
 * (port, commit): a wrong count reads "requires at least 1 and at most 2 arguments" with "Run
 * '… --help'", where a command with an optional last argument otherwise reads as
 * RequiresMinArgs ("requires at least 1 argument", "See …").
 */
public interface RangeOfArguments {}
