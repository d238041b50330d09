package dev.berth.image.archive.testing;

import dev.berth.image.archive.ImageRegistry;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images and tags in two maps, with docker's resolution reduced to ids, id prefixes and name:tag. */
public final class MapRegistry implements ImageRegistry {
    public final Map<Digest, Stored> images = new LinkedHashMap<>();
    public final Map<Reference, Digest> tags = new LinkedHashMap<>();

    @Override
    public synchronized Digest add(byte[] configBytes, List<Layer> layers, List<Reference> newTags) {
        Digest id = Digest.sha256(configBytes);
        images.putIfAbsent(id, new Stored(id, layers, List.of()));
        for (Reference t : newTags) {
            tags.put(t, id);
        }
        return id;
    }

    @Override
    public Optional<Digest> imageOf(Reference tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    @Override
    public Stored resolve(String nameOrId) {
        String hex = nameOrId.startsWith("sha256:") ? nameOrId.substring(7) : nameOrId;
        for (Digest id : images.keySet()) {
            if (hex.length() >= 12 && id.hex().startsWith(hex)) {
                return withTags(id);
            }
        }
        if (Reference.isValid(nameOrId)) {
            Digest id = tags.get(Reference.parse(nameOrId).withDefaultTag());
            if (id != null) {
                return withTags(id);
            }
        }
        throw BerthException.notFound("No such image: " + nameOrId);
    }

    @Override
    public List<Stored> tagged() {
        List<Stored> out = new ArrayList<>();
        for (Digest id : images.keySet()) {
            Stored s = withTags(id);
            if (!s.repoTags().isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    public List<Reference> tagsOf(Digest id) {
        return tags.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).toList();
    }

    private Stored withTags(Digest id) {
        return new Stored(id, images.get(id).layers(), tagsOf(id));
    }
}
