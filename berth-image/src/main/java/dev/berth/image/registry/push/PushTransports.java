package dev.berth.image.registry.push;

import dev.berth.oci.image.Reference;
import java.util.List;

/** Opens the {@link PushTransport} of a repository, allowed to mount from the given others of the same registry. */
@FunctionalInterface
public interface PushTransports {
    /**
     * @param repository the target, without tag ({@code 127.0.0.1:5000/app})
     * @param mountSources repository paths in the same registry ({@code library/busybox}) the push
     *     may mount blobs from: a token registry must grant pull on them too
     */
    PushTransport open(Reference repository, List<String> mountSources);
}
