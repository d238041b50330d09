package dev.berth.cli.tty;

/** A terminal's size, as TIOCGWINSZ reports it and the resize routes take it (h, w). */
public record WindowSize(int rows, int columns) {}
