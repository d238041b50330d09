package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content descriptor (descriptor.md): what a blob is, its digest and its size. Optional
 * parts are empty rather than null ({@code ""}, empty list/map, {@link Optional#empty()}).
 */
public record Descriptor(String mediaType, Digest digest, long size, List<String> urls,
                         Map<String, String> annotations, Optional<Platform> platform, String artifactType) {
    // defs-descriptor.json "mediaType" (RFC 6838 restricted names)
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    public Descriptor {
        if (mediaType == null || !MEDIA_TYPE.matcher(mediaType).matches()) {
            throw BerthException.invalid("descriptor: invalid media type \"" + mediaType + "\"");
        }
        if (digest == null) {
            throw BerthException.invalid("descriptor: digest is required");
        }
        if (size < 0) {
            throw BerthException.invalid("descriptor: negative size " + size);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        platform = platform == null ? Optional.empty() : platform;
        artifactType = artifactType == null ? "" : artifactType;
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, List.of(), Map.of(), Optional.empty(), "");
    }

    /** The descriptor of {@code content}, whose digest is computed here (sha256). */
    public static Descriptor of(String mediaType, byte[] content) {
        return of(mediaType, Digest.sha256(content), content.length);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, Optional.ofNullable(newPlatform), artifactType);
    }

    public Descriptor withMediaType(String newMediaType) {
        return new Descriptor(newMediaType, digest, size, urls, annotations, platform, artifactType);
    }
}
