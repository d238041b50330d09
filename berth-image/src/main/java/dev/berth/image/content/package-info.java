/**
 * The content store: immutable blobs by digest under {@code <data-root>/content}, verified on
 * write and renamed into place, so no partial blob is ever visible.
 */
package dev.berth.image.content;
