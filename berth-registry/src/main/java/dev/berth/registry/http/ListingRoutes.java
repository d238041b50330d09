package dev.berth.registry.http;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.RegistryStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Content discovery (spec.md): {@code GET /v2/<name>/tags/list}, {@code GET
 * /v2/<name>/referrers/<digest>} (an image index, with the artifactType filter applied here by
 * the store) and {@code GET /v2/_catalog} (distribution's, outside the spec, paged the same way).
 */
final class ListingRoutes {
    private static final String JSON = "application/json";
    private final RegistryStore store;

    ListingRoutes(RegistryStore store) {
        this.store = store;
    }

    void tags(RegistryCall call, RepositoryName repo) throws IOException {
        Page page = Page.of(store.tags(repo), call.query("n"), call.query("last"), "/v2/" + repo + "/tags/list");
        page.nextLink().ifPresent(link -> call.setHeader("Link", link));
        call.json(200, JSON, JsonObjectBuilder.create().put("name", repo.value()).put("tags", page.entries()).build());
    }

    void catalog(RegistryCall call) throws IOException {
        List<String> names = new ArrayList<>();
        for (RepositoryName repo : store.repositories()) {
            names.add(repo.value());
        }
        Page page = Page.of(names, call.query("n"), call.query("last"), "/v2/_catalog");
        page.nextLink().ifPresent(link -> call.setHeader("Link", link));
        call.json(200, JSON, Map.of("repositories", page.entries()));
    }

    void referrers(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        Digest subject = References.digest(reference);
        Optional<String> artifactType = call.query("artifactType").filter(s -> !s.isEmpty());
        List<Object> manifests = new ArrayList<>();
        for (Descriptor d : store.referrers(repo, subject, artifactType.orElse(null))) {
            manifests.add(ImageJson.descriptorTree(d));
        }
        if (artifactType.isPresent()) {
            call.setHeader("OCI-Filters-Applied", "artifactType");
        }
        call.json(200, MediaTypes.OCI_INDEX, JsonObjectBuilder.create()
                .put("schemaVersion", 2L)
                .put("mediaType", MediaTypes.OCI_INDEX)
                .put("manifests", manifests)
                .build());
    }
}
