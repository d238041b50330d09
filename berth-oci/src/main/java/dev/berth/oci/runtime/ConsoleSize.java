package dev.berth.oci.runtime;

/** process.consoleSize, in characters. */
public record ConsoleSize(int height, int width) {}
