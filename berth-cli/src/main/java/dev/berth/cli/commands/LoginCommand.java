package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.registry.AuthConfig;
import dev.berth.cli.registry.CredentialPrompt;
import dev.berth.cli.registry.CredentialStore;
import dev.berth.cli.registry.DockerConfig;
import dev.berth.cli.registry.Logins;
import dev.berth.cli.registry.RegistryAddress;
import dev.berth.client.DaemonException;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth login}: docker login's conversation. The daemon checks the credentials
 * ({@code POST /auth}); what it accepts is kept where docker keeps it (config.json's
 * {@code auths}, or the configured credential helper), with docker's warning when a password
 * lands in config.json in clear. Without -u/-p a stored login is tried first; prompts need a
 * terminal.
 */
@Command(name = "login", description = "Authenticate to a registry",
        customSynopsis = "berth login [OPTIONS] [SERVER]")
public final class LoginCommand implements Callable<Integer> {
    static final String UNENCRYPTED_WARNING = """

            WARNING! Your credentials are stored unencrypted in '%s'.
            Configure a credential helper to remove this warning. See
            https://docs.docker.com/go/credential-store/
            """;

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-u", "--username"}, description = "Username")
    String username = "";

    @Option(names = {"-p", "--password"}, description = "Password or Personal Access Token (PAT)")
    String password = "";

    @Option(names = "--password-stdin", description = "Take the Password or Personal Access Token (PAT) from stdin")
    boolean passwordStdin;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    public LoginCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (!password.isEmpty()) {
            if (passwordStdin) {
                throw new CommandFailed("conflicting options: cannot specify both --password and --password-stdin");
            }
            cli.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (passwordStdin) {
            if (username.isEmpty()) {
                throw new CommandFailed("the --password-stdin option requires --username to be set");
            }
            String text = new String(cli.in.readAllBytes(), StandardCharsets.UTF_8);
            text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            password = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        String address = server != null && !server.isEmpty() && !server.equals("docker.io")
                ? RegistryAddress.toHostname(server) : RegistryAddress.INDEX_SERVER;
        DockerConfig config = Logins.config(cli);
        CredentialStore store = config.storeFor(address);

        String defaultUsername = "";
        if (username.isEmpty() && password.isEmpty()) {
            AuthConfig stored = store.get(address).withServerAddress(address);
            defaultUsername = stored.username();
            if (!stored.username().isEmpty() && !stored.password().isEmpty()) {
                String status = loginWithStored(stored, store);
                if (status != null) {
                    cli.out.println(status);
                    return 0;
                }
            }
        }
        AuthConfig typed = CredentialPrompt.ask(cli, username, password, defaultUsername, address);
        String status = login(typed, store, config);
        cli.out.println(status);
        return 0;
    }

    /** The stored login tried again; null when the registry no longer takes it (then docker prompts). */
    private String loginWithStored(AuthConfig stored, CredentialStore store) {
        cli.err.println("Authenticating with existing credentials... [Username: " + stored.username() + "]");
        try {
            String status = login(stored, store, null);
            cli.err.print("\n Info -> To login with a different account, run 'docker logout' followed by 'docker login'\n\n\n");
            return status;
        } catch (DaemonException e) {
            if (e.status() == 401) {
                cli.err.println("Stored credentials invalid or expired");
            } else {
                cli.err.println("Login did not succeed, error: " + e.describe());
            }
            return null;
        }
    }

    /** POST /auth, then the login kept; the daemon's status ("Login Succeeded"). */
    private String login(AuthConfig auth, CredentialStore store, DockerConfig config) {
        JsonObject answer = JsonObject.root("login", cli.client().postJson("/auth", null, auth.toJson()));
        String identityToken = answer.string("IdentityToken").orElse("");
        AuthConfig kept = identityToken.isEmpty() ? auth
                : new AuthConfig(auth.username(), "", auth.serverAddress(), identityToken, auth.registryToken());
        boolean clearPassword;
        try {
            clearPassword = store.store(kept);
        } catch (RuntimeException e) {
            String message = e.getMessage();
            throw new CommandFailed(message.startsWith("Error saving credentials") ? message
                    : "Error saving credentials: " + message);
        }
        if (clearPassword) {
            cli.err.println(UNENCRYPTED_WARNING.formatted(Logins.configDir(cli).resolve(DockerConfig.FILE_NAME)));
        }
        return answer.string("Status").orElse("");
    }
}
