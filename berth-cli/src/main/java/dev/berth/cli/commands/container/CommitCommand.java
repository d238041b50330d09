package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RangeOfArguments;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.ImageName;
import dev.berth.client.Query;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth commit}: POST /commit?container=…&repo=…&tag=… (the reference checked first, as
 * the docker CLI does), Dockerfile-style {@code -c} changes, the new image's ID printed.
 */
@Command(name = "commit", description = "Create a new image from a container's changes")
public final class CommitCommand implements Callable<Integer>, RangeOfArguments {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--author"}, description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image")
    List<String> changes;

    @Option(names = {"-m", "--message"}, description = "Commit message")
    String message;

    @Option(names = {"-p", "--pause"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Pause container during commit")
    boolean pause;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    public CommitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().add("container", container).optional("comment", message).optional("author", author);
        if (!pause) {
            query.add("pause", "0");
        }
        if (changes != null) {
            for (String change : changes) {
                query.add("changes", change);
            }
        }
        if (reference != null && !reference.isEmpty()) {
            ImageName name;
            try {
                name = ImageName.parse(reference);
            } catch (IllegalArgumentException e) {
                throw new CommandFailed(e.getMessage());
            }
            if (name.digest() != null) {
                throw new CommandFailed("refusing to create a tag with a digest reference");
            }
            query.add("repo", name.name());
            query.optional("tag", name.tag());
        }
        Map<String, Object> answer = Fields.object(cli.client().postJson("/commit", query));
        cli.out.println(Fields.string(answer.get("Id")));
        return 0;
    }
}
