package dev.berth.cli.commands.cp;

import dev.berth.cli.output.Fields;
import dev.berth.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A container path's stat, from the {@code X-Docker-Container-Path-Stat} header of HEAD/GET
 * /containers/{id}/archive: base64 of {@code {"name","size","mode","mtime","linkTarget"}}, the
 * mode in Go's os.FileMode bits (type bits at the top, not Unix's S_IFMT).
 */
record PathStat(String name, long size, long mode, String linkTarget) {
    static final String HEADER = "X-Docker-Container-Path-Stat";
    private static final long MODE_DIR = 1L << 31;
    private static final long MODE_SYMLINK = 1L << 27;
    private static final long MODE_DEVICE = 1L << 26;
    private static final long MODE_IRREGULAR = 1L << 19;

    static PathStat decode(String header) {
        if (header == null || header.isEmpty()) {
            return new PathStat("", 0, 0, "");
        }
        Map<String, Object> m = Fields.object(Json.parse(new String(Base64.getDecoder().decode(header.strip()),
                StandardCharsets.UTF_8), "path stat"));
        return new PathStat(Fields.string(m.get("name")), Fields.number(m.get("size")), Fields.number(m.get("mode")),
                Fields.string(m.get("linkTarget")));
    }

    boolean isDir() {
        return (mode & MODE_DIR) != 0;
    }

    boolean isSymlink() {
        return (mode & MODE_SYMLINK) != 0;
    }

    /** docker's ValidateOutputPathFileMode: null when fine, else what is wrong. */
    String badFileMode() {
        if ((mode & MODE_DEVICE) != 0) {
            return "got a device";
        }
        if ((mode & MODE_IRREGULAR) != 0) {
            return "got an irregular file";
        }
        return null;
    }
}
