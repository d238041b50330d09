package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** docker's "Are you sure you want to continue? [y/N]" prompt: only "y" or "Y" go on; "no" is not a failure. */
public final class Prompt {
    private Prompt() {}

    public static boolean confirm(Cli cli, String message) throws IOException {
        cli.out.print(message + " [y/N] ");
        cli.out.flush();
        String answer = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8)).readLine();
        if (answer == null) {
            return false; // docker 28 takes end of input as "no", quietly
        }
        answer = answer.strip();
        return answer.equals("y") || answer.equals("Y");
    }
}
