package dev.berth.cli.registry;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * docker's {@code PromptUserForCredentials}: what the flags gave, the rest asked for on the
 * terminal (the password without echo). Without a terminal on stdin nothing is asked: "Error:
 * Cannot perform an interactive login from a non TTY device", as docker 20.10 says it (docker 28
 * tries to prompt anyway and fails on the terminal ioctl).
 */
public final class CredentialPrompt {
    private CredentialPrompt() {}

    public static AuthConfig ask(Cli cli, String username, String password, String defaultUsername, String address) {
        String user = username.strip();
        String secret = password;
        if ((user.isEmpty() || secret.isEmpty()) && !cli.isTerminal(0)) {
            throw new CommandFailed("Error: Cannot perform an interactive login from a non TTY device");
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8));
            if (user.isEmpty()) {
                cli.out.print(defaultUsername.isEmpty() ? "Username: " : "Username (" + defaultUsername + "): ");
                cli.out.flush();
                String line = reader.readLine();
                user = line == null ? "" : line.strip();
                if (user.isEmpty()) {
                    user = defaultUsername;
                }
                if (user.isEmpty()) {
                    throw new CommandFailed("Error: Non-null Username Required");
                }
            }
            if (secret.isEmpty()) {
                cli.out.print("Password: ");
                cli.out.flush();
                Console console = System.console();
                if (console != null) {
                    char[] typed = console.readPassword();
                    secret = typed == null ? "" : new String(typed);
                } else {
                    String line = reader.readLine();
                    secret = line == null ? "" : line;
                }
                cli.out.println();
                if (secret.strip().isEmpty()) {
                    throw new CommandFailed("Error: Password Required");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthConfig.of(user, secret, address);
    }
}
