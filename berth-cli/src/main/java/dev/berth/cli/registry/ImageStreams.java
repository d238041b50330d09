package dev.berth.cli.registry;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.commands.PathSegment;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.output.JsonMessages;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.cli.tty.WindowSize;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The two requests that make the daemon talk to a registry, as the docker client sends them:
 * {@code POST /images/create?fromImage=&tag=&platform=} (pull) and
 * {@code POST /images/{name}/push?tag=}, each with the user's login for that registry in
 * X-Registry-Auth (dockerd refuses a push without the header), and the JSON progress stream the
 * daemon answers with shown as docker shows it. A daemon that answers 401 before the stream gets
 * one more try with credentials asked for on the terminal, as docker's PrivilegeFunc does.
 */
public final class ImageStreams {
    private ImageStreams() {}

    /** Where a stream is shown: a stream, and whether (and how wide) the terminal docker would draw bars on is. */
    public record Screen(PrintStream out, boolean terminal, int width) {
        /** Output thrown away (-q), as docker's {@code io.Discard}. */
        public static Screen discard() {
            return new Screen(new PrintStream(OutputStream.nullOutputStream()), false, JsonMessages.DEFAULT_WIDTH);
        }

        /** {@code out}, drawn as a terminal when file descriptor {@code fd} is one (docker asks stdout even when it writes to stderr). */
        public static Screen of(Cli cli, PrintStream out, int fd) {
            boolean terminal = cli.isTerminal(fd);
            int width = terminal ? RawTerminal.size(fd).map(WindowSize::columns).filter(c -> c > 0)
                    .orElse(JsonMessages.DEFAULT_WIDTH) : JsonMessages.DEFAULT_WIDTH;
            return new Screen(out, terminal, width);
        }
    }

    /**
     * Pulls {@code image} (every tag of its repository when {@code allTags}).
     *
     * @param platform  os[/arch[/variant]] or null
     */
    public static void pull(Cli cli, ImageName image, boolean allTags, String platform, Screen screen) {
        Query query = Query.of().add("fromImage", image.familiarName());
        if (!allTags) {
            ImageName tagged = image.withDefaultTag();
            query.add("tag", tagged.digest() != null ? tagged.digest() : tagged.tag());
        }
        if (platform != null && !platform.isEmpty()) {
            query.add("platform", platform.toLowerCase(java.util.Locale.ROOT));
        }
        stream(cli, "/images/create", query, image, screen, "pull");
    }

    private static String storedUsername(Cli cli, String key) {
        try {
            return Logins.config(cli).storeFor(key).get(key).username();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Pushes {@code image} (every tag of its repository when {@code allTags}). */
    public static void push(Cli cli, ImageName image, boolean allTags, Screen screen) {
        Query query = Query.of();
        if (!allTags) {
            query.add("tag", image.withDefaultTag().tag());
        }
        stream(cli, "/images/" + PathSegment.escape(image.familiarName()) + "/push", query, image, screen, "push");
    }

    private static void stream(Cli cli, String path, Query query, ImageName image, Screen screen, String verb) {
        String header = Logins.headerFor(cli, image);
        ApiResponse response;
        try {
            response = cli.client().send("POST", path, query, null, null, null, Map.of("X-Registry-Auth", header));
        } catch (DaemonException e) {
            if (e.status() != 401) {
                throw e;
            }
            // docker's PrivilegeFunc: the daemon wants credentials; ask for them once and try again (not stored)
            cli.out.print("\nLogin prior to " + verb + ":\n");
            cli.out.flush();
            String key = RegistryAddress.keyFor(image);
            AuthConfig typed = CredentialPrompt.ask(cli, "", "", storedUsername(cli, key), key);
            response = cli.client().send("POST", path, query, null, null, null, Map.of("X-Registry-Auth", typed.encode()));
        }
        try (ApiResponse answer = response) {
            JsonMessages.display(answer.body(), screen.out(), screen.terminal(), screen.width(), cli.clock);
        } catch (JsonMessages.StreamError e) {
            throw new CommandFailed(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
