package dev.berth.daemon.system;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** The daemon's identity for /info's ID: a UUID made once and kept in {@code <data-root>/engine-id}, as dockerd does. */
public final class EngineId {
    private EngineId() {}

    public static String load(Path dataRoot) {
        Path file = dataRoot.resolve("engine-id");
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        } catch (NoSuchFileException e) {
            // first start
        } catch (IOException e) {
            throw BerthException.internal("reading " + file + ": " + e.getMessage(), e);
        }
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(dataRoot);
            Path temp = dataRoot.resolve("engine-id.tmp");
            Files.writeString(temp, id, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw BerthException.internal("writing " + file + ": " + e.getMessage(), e);
        }
        return id;
    }
}
