package dev.berth.engine.container;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.berth.oci.image.ImageConfig;

/**
 * The part of docker's create body ({@code ContainerConfig} in the Engine API) berth honours.
 * {@code cmd} and {@code entrypoint} are empty when the request left them out (the image's are
 * used); an entrypoint given as {@code [""]} or {@code []} is present and clears the image's
 * entrypoint and cmd, as {@code docker run --entrypoint ""} does.
 *
 * @param stopTimeout seconds; empty for the default (10)
 * @param exposedPorts Config.ExposedPorts ("80/tcp"), the image's merged in at create: what -P publishes
 */
public record ContainerConfig(
        String image,
        Optional<List<String>> cmd,
        Optional<List<String>> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        Map<String, String> labels,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        String stopSignal,
        Optional<Integer> stopTimeout,
        String hostname,
        String domainname,
        Optional<ImageConfig.Healthcheck> healthcheck,
        java.util.Set<String> exposedPorts) {

    /** Without ExposedPorts (which came with issue 5). */
    public ContainerConfig(String image, Optional<List<String>> cmd, Optional<List<String>> entrypoint, List<String> env,
                           String workingDir, String user, Map<String, String> labels, boolean tty, boolean openStdin,
                           boolean stdinOnce, boolean attachStdin, boolean attachStdout, boolean attachStderr,
                           String stopSignal, Optional<Integer> stopTimeout, String hostname, String domainname,
                           Optional<ImageConfig.Healthcheck> healthcheck) {
        this(image, cmd, entrypoint, env, workingDir, user, labels, tty, openStdin, stdinOnce, attachStdin, attachStdout,
                attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, java.util.Set.of());
    }

    public ContainerConfig {
        image = Objects.requireNonNullElse(image, "");
        cmd = cmd.map(List::copyOf);
        entrypoint = entrypoint.map(List::copyOf);
        env = List.copyOf(env);
        workingDir = Objects.requireNonNullElse(workingDir, "");
        user = Objects.requireNonNullElse(user, "");
        labels = Map.copyOf(labels);
        stopSignal = Objects.requireNonNullElse(stopSignal, "");
        hostname = Objects.requireNonNullElse(hostname, "");
        domainname = Objects.requireNonNullElse(domainname, "");
        Objects.requireNonNull(healthcheck, "healthcheck");
        exposedPorts = dev.berth.engine.network.PortKeys.checkExposed(
                Objects.requireNonNullElse(exposedPorts, java.util.Set.of()));
    }

    /** A config that runs {@code cmd} in {@code image} and sets nothing else. */
    public static ContainerConfig of(String image, List<String> cmd) {
        return new ContainerConfig(image, cmd.isEmpty() ? Optional.empty() : Optional.of(cmd), Optional.empty(),
                List.of(), "", "", Map.of(), false, false, false, false, true, true, "", Optional.empty(), "", "", Optional.empty());
    }

    public ContainerConfig withEnv(List<String> newEnv) {
        return new ContainerConfig(image, cmd, entrypoint, newEnv, workingDir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withEntrypoint(List<String> newEntrypoint) {
        return new ContainerConfig(image, cmd, Optional.of(newEntrypoint), env, workingDir, user, labels, tty, openStdin,
                stdinOnce, attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withUser(String newUser) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, newUser, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withWorkingDir(String dir) {
        return new ContainerConfig(image, cmd, entrypoint, env, dir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withHostname(String name) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, name, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withStop(String signal, Optional<Integer> timeout) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, signal, timeout, hostname, domainname, healthcheck, exposedPorts);
    }

    public ContainerConfig withHealthcheck(Optional<ImageConfig.Healthcheck> check) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, check, exposedPorts);
    }

    public ContainerConfig withExposedPorts(java.util.Set<String> ports) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, user, labels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, ports);
    }

    public ContainerConfig withLabels(Map<String, String> newLabels) {
        return new ContainerConfig(image, cmd, entrypoint, env, workingDir, user, newLabels, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, hostname, domainname, healthcheck, exposedPorts);
    }
}
