package dev.berth.runtime.linux;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime remembers about a container between invocations, stored as
 * {@code <root>/<id>/state.json}. The live status is not stored: it is derived from the
 * kernel each time (is the init alive, is the fifo still there, is the cgroup frozen).
 *
 * @param pidStartTime the init's start time in clock ticks (/proc/pid/stat field 22), so that
 *     a recycled pid is never mistaken for the container
 * @param created RFC 3339 with nanoseconds, like runc
 */
record ContainerRecord(
        String id,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        String created,
        String cgroupsPath,
        boolean createdViaFifo,
        Map<String, String> annotations,
        List<String> cgroupDirs,
        boolean setupDone) {

    private static final JsonFactory JSON = new JsonFactory();

    ContainerRecord withPid(int newPid, long startTime) {
        return new ContainerRecord(id, newPid, startTime, bundle, rootfs, created, cgroupsPath, createdViaFifo, annotations, cgroupDirs, setupDone);
    }

    ContainerRecord withCgroupDirs(java.util.Collection<java.nio.file.Path> dirs) {
        return new ContainerRecord(id, pid, pidStartTime, bundle, rootfs, created, cgroupsPath, createdViaFifo, annotations,
                dirs.stream().map(Object::toString).sorted().toList(), setupDone);
    }

    /** The init finished its setup (it reported READY): from now on it is created or running. */
    ContainerRecord withSetupDone() {
        return new ContainerRecord(id, pid, pidStartTime, bundle, rootfs, created, cgroupsPath, createdViaFifo, annotations,
                cgroupDirs, true);
    }

    java.util.Set<java.nio.file.Path> cgroupDirSet() {
        java.util.Set<java.nio.file.Path> set = new java.util.LinkedHashSet<>();
        for (String d : cgroupDirs) {
            set.add(java.nio.file.Path.of(d));
        }
        return set;
    }

    String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeNumberField("pid", pid);
            g.writeNumberField("pidStartTime", pidStartTime);
            g.writeStringField("bundle", bundle);
            g.writeStringField("rootfs", rootfs);
            g.writeStringField("created", created);
            g.writeStringField("cgroupsPath", cgroupsPath);
            g.writeBooleanField("createdViaFifo", createdViaFifo);
            g.writeBooleanField("setupDone", setupDone);
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("cgroupDirs");
            for (String d : cgroupDirs) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw BerthException.internal("write container state", e);
        }
        return w.toString();
    }

    static ContainerRecord fromJson(String json, String where) {
        String id = null;
        String bundle = "";
        String rootfs = "";
        String created = "";
        String cgroupsPath = "";
        int pid = 0;
        long start = 0;
        boolean fifo = false;
        boolean setupDone = false;
        Map<String, String> annotations = new LinkedHashMap<>();
        List<String> dirs = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw BerthException.internal(where + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "pid" -> pid = p.getIntValue();
                    case "pidStartTime" -> start = p.getLongValue();
                    case "bundle" -> bundle = p.getText();
                    case "rootfs" -> rootfs = p.getText();
                    case "created" -> created = p.getText();
                    case "cgroupsPath" -> cgroupsPath = p.getText();
                    case "createdViaFifo" -> fifo = p.getBooleanValue();
                    case "setupDone" -> setupDone = p.getBooleanValue();
                    case "annotations" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            annotations.put(k, p.getText());
                        }
                    }
                    case "cgroupDirs" -> {
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            dirs.add(p.getText());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw BerthException.internal(where + ": corrupt state: " + e.getMessage());
        }
        if (id == null) {
            throw BerthException.internal(where + ": corrupt state: no id");
        }
        return new ContainerRecord(id, pid, start, bundle, rootfs, created, cgroupsPath, fifo, Map.copyOf(annotations), List.copyOf(dirs), setupDone);
    }
}
