package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.registry.DockerConfig;
import dev.berth.cli.registry.Logins;
import dev.berth.cli.registry.RegistryAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logout}: forgets a registry's login as docker does, under the host and under the
 * older spellings docker once filed them by ({@code http://host}, {@code https://host}). Being
 * logged out already is not an error.
 */
@Command(name = "logout", description = "Log out from a registry",
        customSynopsis = "berth logout [SERVER]")
public final class LogoutCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    public LogoutCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String address = server == null || server.isEmpty() ? RegistryAddress.INDEX_SERVER : server;
        List<String> keys = new ArrayList<>(List.of(address));
        String host = address;
        if (!address.equals(RegistryAddress.INDEX_SERVER)) {
            host = RegistryAddress.toHostname(address);
            keys.addAll(List.of(host, "http://" + host, "https://" + host));
        }
        cli.out.println("Removing login credentials for " + host);
        DockerConfig config = Logins.config(cli);
        Map<String, String> errors = new LinkedHashMap<>();
        for (String key : keys) {
            try {
                config.storeFor(key).erase(key);
            } catch (RuntimeException e) {
                errors.put(key, e.getMessage());
            }
        }
        if (errors.size() == keys.size()) {
            cli.err.println("WARNING: could not erase credentials:");
            errors.forEach((k, v) -> cli.err.println(k + ": " + v));
        }
        return 0;
    }
}
