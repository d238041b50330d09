package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.MountSpec;
import dev.berth.image.store.ImageUsers;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine's containers by id and by name, and docker's way of finding one. Its monitor
 * guards both maps; a part that must check and change them in one step synchronizes on it.
 */
final class ContainerTable {
    private final Map<String, Slot> byId = new LinkedHashMap<>();
    private final Map<String, String> byName = new HashMap<>();

    /** docker's resolution: full id, name (with or without the slash), then a unique id prefix. */
    synchronized Slot find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw BerthException.notFound("No such container: " + idOrName);
        }
        Slot s = byId.get(idOrName);
        if (s != null) {
            return s;
        }
        String byNameId = byName.get(idOrName.startsWith("/") ? idOrName : "/" + idOrName);
        if (byNameId != null) {
            return byId.get(byNameId);
        }
        Slot match = null;
        for (Map.Entry<String, Slot> e : byId.entrySet()) {
            if (e.getKey().startsWith(idOrName)) {
                if (match != null) {
                    throw BerthException.invalid("multiple IDs found with provided prefix: " + idOrName);
                }
                match = e.getValue();
            }
        }
        if (match == null) {
            throw BerthException.notFound("No such container: " + idOrName);
        }
        return match;
    }

    /** Finds the container and runs {@code action} under its lock: every verb's refresh → guard → act → persist. */
    <T> T withLocked(String idOrName, Function<Slot, T> action) {
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            return action.apply(s);
        } finally {
            s.lock.unlock();
        }
    }

    /** {@link #withLocked(String, Function)} for a verb with no result. */
    void withLockedDo(String idOrName, Consumer<Slot> action) {
        withLocked(idOrName, s -> {
            action.accept(s);
            return null;
        });
    }

    synchronized boolean contains(String id) {
        return byId.containsKey(id);
    }

    synchronized boolean nameTaken(String name) {
        return byName.containsKey(name);
    }

    /** CONFLICT in docker's words when another container has the name. */
    synchronized void checkNameFree(ContainerName name) {
        String owner = byName.get(name.value());
        if (owner != null) {
            throw BerthException.conflict("Conflict. The container name \"" + name.value()
                    + "\" is already in use by container \"" + owner
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    /** Takes the name for the id (checked free in the same step), before a create's slow part. */
    synchronized void reserveName(ContainerName name, String id) {
        checkNameFree(name);
        byName.put(name.value(), id);
    }

    synchronized void releaseName(ContainerName name) {
        byName.remove(name.value());
    }

    /** Moves a container to a new name; INVALID when it is its name already, CONFLICT when taken. */
    synchronized void rename(Container c, ContainerName name) {
        if (c.name().equals(name)) {
            throw BerthException.invalid("Renaming a container with the same name as its current name");
        }
        checkNameFree(name);
        byName.remove(c.name().value());
        byName.put(name.value(), c.id());
    }

    synchronized void add(Slot s) {
        byId.put(s.id(), s);
        byName.put(s.container.name().value(), s.id());
    }

    synchronized void remove(Container c) {
        byId.remove(c.id());
        byName.remove(c.name().value());
    }

    synchronized List<Slot> slots() {
        return new ArrayList<>(byId.values());
    }

    /** Every container (running ones only unless all), newest first, as docker ps lists them. */
    synchronized List<Container> list(boolean all) {
        List<Container> out = new ArrayList<>();
        for (Slot s : byId.values()) {
            Container c = s.container;
            if (all || c.state().running()) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(Container::created).reversed());
        return out;
    }

    /** The image hook: which containers use an image (rmi refuses while one does), running ones first. */
    synchronized List<ImageUsers.User> imageUsers(Digest imageId) {
        List<ImageUsers.User> users = new ArrayList<>();
        for (Slot s : byId.values()) {
            Container c = s.container;
            if (c.imageId().equals(imageId)) {
                users.add(new ImageUsers.User(c.id(), c.state().running()));
            }
        }
        users.sort(Comparator.comparing(u -> !u.running()));
        return users;
    }

    /** The ids of the containers whose mounts name the volume. */
    synchronized List<String> volumeUsers(String volume) {
        Predicate<MountSpec> names = m -> m.type() == MountSpec.Type.VOLUME && m.source().equals(volume);
        List<String> users = new ArrayList<>();
        for (Slot s : byId.values()) {
            if (s.container.hostConfig().allMounts().stream().anyMatch(names)) {
                users.add(s.id());
            }
        }
        return users;
    }
}
