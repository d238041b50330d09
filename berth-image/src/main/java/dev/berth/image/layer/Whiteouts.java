package dev.berth.image.layer;

/**
 * The two spellings of "deleted in this layer": OCI's in tars (image-spec layer.md,
 * "Whiteouts") and overlayfs's on disk (a 0:0 character device; an xattr on opaque dirs).
 */
final class Whiteouts {
    /** ".wh.name" in a tar hides "name" of the layers below. */
    static final String PREFIX = ".wh.";
    /** ".wh..wh..opq" in a directory hides everything the layers below have in it. */
    static final String OPAQUE = ".wh..wh..opq";
    /** Other ".wh..wh." names are aufs bookkeeping and are skipped. */
    static final String META_PREFIX = ".wh..wh.";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

    private Whiteouts() {
    }
}
