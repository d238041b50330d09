/** Crash-safe file writes shared by the stores: temp file, fsync, rename, fsync of the directory. */
package dev.berth.image.io;
