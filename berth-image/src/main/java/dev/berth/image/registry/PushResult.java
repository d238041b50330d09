package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;

/**
 * One pushed tag; dockerd ends a push with {@code "<tag>: digest: <digest> size: <size>"} and
 * an aux message {@code {"Tag","Digest","Size"}} for it.
 */
public record PushResult(Reference reference, Digest manifestDigest, long size) {
}
