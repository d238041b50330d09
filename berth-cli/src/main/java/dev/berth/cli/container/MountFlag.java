package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --mount type=bind|volume|tmpfs,source=…,target=…,readonly,…}: CSV fields read as
 * docker's opts.MountOpt reads them, into the API's Mount object. An unknown type is sent as
 * given: the daemon refuses it ("invalid mount config for type …").
 */
final class MountFlag {
    private MountFlag() {}

    static Map<String, Object> parse(String value) {
        String type = "volume";
        String source = "";
        String target = "";
        Boolean readOnly = null;
        Map<String, Object> bind = new LinkedHashMap<>();
        Map<String, Object> volume = new LinkedHashMap<>();
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        Map<String, Object> volumeLabels = new LinkedHashMap<>();
        Map<String, Object> volumeDriver = new LinkedHashMap<>();
        Map<String, Object> driverOptions = new LinkedHashMap<>();
        for (String field : csv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String val = eq < 0 ? null : field.substring(eq + 1);
            if (val == null) {
                switch (key) {
                    case "readonly", "ro" -> {
                        readOnly = true;
                        continue;
                    }
                    case "volume-nocopy" -> {
                        volume.put("NoCopy", true);
                        continue;
                    }
                    default -> throw error(value, "invalid field '" + field + "' must be a key=value pair");
                }
            }
            switch (key) {
                case "type" -> type = val;
                case "source", "src" -> source = val;
                case "target", "dst", "destination" -> target = val;
                case "readonly", "ro" -> readOnly = bool(value, key, val);
                case "bind-propagation" -> bind.put("Propagation", val.toLowerCase(Locale.ROOT));
                case "bind-nonrecursive" -> bind.put("NonRecursive", bool(value, key, val));
                case "volume-nocopy" -> volume.put("NoCopy", bool(value, key, val));
                case "volume-label" -> {
                    int e = val.indexOf('=');
                    volumeLabels.put(e < 0 ? val : val.substring(0, e), e < 0 ? "" : val.substring(e + 1));
                }
                case "volume-driver" -> volumeDriver.put("Name", val);
                case "volume-opt" -> {
                    int e = val.indexOf('=');
                    if (e < 0) {
                        throw error(value, "invalid value for " + key + ": " + val);
                    }
                    driverOptions.put(val.substring(0, e), val.substring(e + 1));
                }
                case "tmpfs-size" -> {
                    try {
                        tmpfs.put("SizeBytes", GoValues.ramInBytes(val));
                    } catch (IllegalArgumentException e) {
                        throw error(value, "invalid value for " + key + ": " + val);
                    }
                }
                case "tmpfs-mode" -> {
                    try {
                        tmpfs.put("Mode", Long.parseLong(val, 8));
                    } catch (NumberFormatException e) {
                        throw error(value, "invalid value for " + key + ": " + val);
                    }
                }
                default -> throw error(value, "unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (type.isEmpty()) {
            throw error(value, "type is required");
        }
        if (target.isEmpty()) {
            throw error(value, "target is required");
        }
        if (!driverOptions.isEmpty()) {
            volumeDriver.put("Options", driverOptions);
        }
        if (!volumeDriver.isEmpty()) {
            volume.put("DriverConfig", volumeDriver);
        }
        if (!volumeLabels.isEmpty()) {
            volume.put("Labels", volumeLabels);
        }
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("Type", type);
        mount.put("Source", source);
        mount.put("Target", target);
        if (readOnly != null && readOnly) {
            mount.put("ReadOnly", true);
        }
        if (!bind.isEmpty()) {
            if (!type.equals("bind")) {
                throw error(value, "cannot mix 'bind-*' options with mount type '" + type + "'");
            }
            mount.put("BindOptions", bind);
        }
        if (!volume.isEmpty()) {
            if (!type.equals("volume")) {
                throw error(value, "cannot mix 'volume-*' options with mount type '" + type + "'");
            }
            mount.put("VolumeOptions", volume);
        }
        if (!tmpfs.isEmpty()) {
            if (!type.equals("tmpfs")) {
                throw error(value, "cannot mix 'tmpfs-*' options with mount type '" + type + "'");
            }
            mount.put("TmpfsOptions", tmpfs);
        }
        return mount;
    }

    private static boolean bool(String value, String key, String val) {
        try {
            return GoValues.parseBool(val);
        } catch (IllegalArgumentException e) {
            throw error(value, "invalid value for " + key + ": " + val);
        }
    }

    private static FlagValueException error(String value, String reason) {
        return new FlagValueException("--mount", value, reason);
    }

    /** One CSV record: commas split, double quotes group (as encoding/csv). */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
