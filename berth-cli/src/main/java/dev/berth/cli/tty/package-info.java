/** The terminal side of attached containers: raw mode, window size, detach keys, signals. */
package dev.berth.cli.tty;
