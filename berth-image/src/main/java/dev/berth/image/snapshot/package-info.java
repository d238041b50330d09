/** Snapshots: each layer unpacked once under the data root, stacked as overlayfs lower dirs. */
package dev.berth.image.snapshot;
