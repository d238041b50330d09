package dev.berth.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The {@code --log} file. containerd reads it when a runtime call fails, so each line has
 * logrus's shape: {@code time="..." level=error msg="..."} in text format, or
 * {@code {"level":"error","msg":"...","time":"..."}} in json format. The file is opened only
 * when there is something to write, keeping it off the success path.
 */
final class ErrorLog {
    private final Path file;
    private final boolean json;

    ErrorLog(Path file, boolean json) {
        this.file = file;
        this.json = json;
    }

    void write(String level, String message) {
        String time = OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String line = json ? jsonLine(level, message, time) : textLine(level, message, time);
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The message still reaches stderr; a broken log file must not hide it.
        }
    }

    static String jsonLine(String level, String message, String time) {
        StringBuilder out = new StringBuilder(64 + message.length());
        out.append("{\"level\":");
        CliJson.string(out, level);
        out.append(",\"msg\":");
        CliJson.string(out, message);
        out.append(",\"time\":");
        CliJson.string(out, time);
        return out.append("}\n").toString();
    }

    static String textLine(String level, String message, String time) {
        StringBuilder out = new StringBuilder(64 + message.length());
        out.append("time=\"").append(time).append("\" level=").append(level).append(" msg=");
        CliJson.string(out, message);
        return out.append('\n').toString();
    }
}
