package dev.berth.engine.container;

import dev.berth.engine.spec.EnvMerge;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's create-time merge of a request's config with its image's (daemon {@code merge}):
 * what inspect shows as Config afterwards. User, WorkingDir and StopSignal fall back to the
 * image's; Env and Labels are the image's overridden key by key; Cmd comes from the image only
 * when the request gave neither Cmd nor Entrypoint, and Entrypoint only when the request did
 * not mention it. ExposedPorts are the union of both.
 */
public final class ConfigMerge {
    private ConfigMerge() {}

    public static ContainerConfig merge(ContainerConfig user, ImageConfig.Config image) {
        List<String> env = user.env().isEmpty() ? image.env() : EnvMerge.replaceOrAppend(image.env(), user.env());
        Map<String, String> labels = new LinkedHashMap<>(image.labels());
        labels.putAll(user.labels());
        Optional<List<String>> cmd = user.cmd();
        Optional<List<String>> entrypoint = user.entrypoint();
        boolean noEntrypoint = entrypoint.map(ConfigMerge::blank).orElse(true);
        if (noEntrypoint && cmd.map(List::isEmpty).orElse(true)) {
            cmd = image.cmd().isEmpty() ? Optional.empty() : Optional.of(image.cmd());
        }
        if (entrypoint.isEmpty() && !image.entrypoint().isEmpty()) {
            entrypoint = Optional.of(image.entrypoint());
        }
        return new ContainerConfig(user.image(), cmd, entrypoint, env,
                user.workingDir().isEmpty() ? image.workingDir() : user.workingDir(),
                user.user().isEmpty() ? image.user() : user.user(),
                labels, user.tty(), user.openStdin(), user.stdinOnce(), user.attachStdin(), user.attachStdout(),
                user.attachStderr(),
                user.stopSignal().isEmpty() ? image.stopSignal() : user.stopSignal(),
                user.stopTimeout(), user.hostname(), user.domainname(), healthcheck(user, image),
                exposedPorts(user, image));
    }

    /** docker: the image's EXPOSE and the request's ExposedPorts together. */
    static java.util.Set<String> exposedPorts(ContainerConfig user, ImageConfig.Config image) {
        java.util.Set<String> all = new java.util.HashSet<>(user.exposedPorts());
        for (String p : image.exposedPorts()) {
            all.add(dev.berth.engine.network.PortKeys.normalize(p));
        }
        return all;
    }

    /** docker: the request's healthcheck, its unset parts filled from the image's. */
    static Optional<ImageConfig.Healthcheck> healthcheck(ContainerConfig user, ImageConfig.Config image) {
        if (user.healthcheck().isEmpty()) {
            return image.healthcheck();
        }
        ImageConfig.Healthcheck u = user.healthcheck().get();
        if (image.healthcheck().isEmpty()) {
            return Optional.of(u);
        }
        ImageConfig.Healthcheck i = image.healthcheck().get();
        return Optional.of(new ImageConfig.Healthcheck(
                u.test().isEmpty() ? i.test() : u.test(),
                u.interval() == 0 ? i.interval() : u.interval(),
                u.timeout() == 0 ? i.timeout() : u.timeout(),
                u.startPeriod() == 0 ? i.startPeriod() : u.startPeriod(),
                u.startInterval() == 0 ? i.startInterval() : u.startInterval(),
                u.retries() == 0 ? i.retries() : u.retries()));
    }

    /** {@code []} or {@code [""]}: an entrypoint that was reset with {@code --entrypoint ""}. */
    static boolean blank(List<String> entrypoint) {
        return entrypoint.isEmpty() || entrypoint.size() == 1 && entrypoint.getFirst().isEmpty();
    }

    /** docker's Path and Args: entrypoint + cmd split at the first word; BAD_REQUEST "no command specified" when empty. */
    public static List<String> commandLine(ContainerConfig merged) {
        List<String> argv = new ArrayList<>();
        merged.entrypoint().filter(e -> !blank(e)).ifPresent(argv::addAll);
        merged.cmd().ifPresent(argv::addAll);
        if (argv.isEmpty()) {
            throw BerthException.invalid("no command specified");
        }
        return argv;
    }
}
