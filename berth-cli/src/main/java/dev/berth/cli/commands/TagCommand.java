package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ImageName;
import dev.berth.client.Query;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth tag SOURCE TARGET}: POST /images/{source}/tag?repo=…&tag=…, with the target
 * checked and normalized first, as the docker client does (repo is the full name,
 * docker.io/library/busybox).
 */
@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
public final class TagCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    public TagCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (source.isEmpty()) {
            throw new CommandFailed("Error parsing reference: \"\" is not a valid repository/tag: invalid reference format");
        }
        ImageName name;
        try {
            name = ImageName.parse(target);
        } catch (IllegalArgumentException e) {
            throw new CommandFailed("Error parsing reference: \"" + target + "\" is not a valid repository/tag: "
                    + e.getMessage());
        }
        if (name.digest() != null) {
            throw new CommandFailed("refusing to create a tag with a digest reference");
        }
        name = name.withDefaultTag();
        Query query = Query.of().add("repo", name.name()).add("tag", name.tag());
        cli.client().send("POST", "/images/" + PathSegment.escape(source) + "/tag", query, null, null, null).close();
        return 0;
    }
}
