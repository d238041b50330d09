package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code spec}: write a starter config.json into the bundle. It never overwrites: the refusal
 * text is runc's, which scripts match on.
 */
final class SpecCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("spec", "write a starter config.json", "",
                "Writes a config.json into the bundle directory (the current directory by default) that runs\n"
                        + "\"sh\" in ./rootfs with berth's default isolation; edit it before use. With --rootless the\n"
                        + "config also maps the caller's user into a user namespace, for runs without root.",
                Flag.string("bundle", "b", "the bundle directory to write config.json into"),
                Flag.bool("rootless", null, "write a config for a container run without root"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("spec", 0);
        String bundle = args.stringOrEmpty("bundle");
        Path dir = bundle.isEmpty() ? context.workingDirectory() : context.resolve(bundle);
        if (!Files.isDirectory(dir)) {
            throw BerthException.notFound("bundle directory " + dir + " does not exist");
        }
        Path config = dir.resolve("config.json");
        if (Files.exists(config)) {
            throw BerthException.conflict("File config.json exists. Remove it first");
        }
        String json = context.specSource().defaultSpecJson(args.bool("rootless"));
        try {
            Files.writeString(config, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw BerthException.conflict("File config.json exists. Remove it first");
        } catch (IOException e) {
            throw BerthException.internal("cannot write " + config + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
