/**
 * Layer tars: detect and undo compression, unpack a layer into a directory (OCI whiteouts become
 * overlayfs whiteouts; nothing is ever written outside the target), and pack a directory back
 * into a deterministic tar.
 */
package dev.berth.image.layer;
