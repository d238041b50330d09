/** Images: content store, layer unpack and pack, snapshots on overlayfs, the image store, import and export. */
package dev.berth.image;
