package dev.gantry.sdk;

import dev.gantry.protocol.payload.ShellCommand;

/** The checks {@link ShellFunction} and {@link MPIFunction} share, made where the user builds them. */
final class ShellFunctions {
    private ShellFunctions() {}

    static String checkCommand(String cmd) {
        if (cmd == null || cmd.isBlank()) {
            throw new IllegalArgumentException("a shell function needs a command");
        }
        return cmd;
    }

    static int checkSnippetLines(int n) {
        if (n > ShellCommand.MAX_SNIPPET_LINES) {
            throw new IllegalArgumentException("snippetLines is at most " + ShellCommand.MAX_SNIPPET_LINES);
        }
        return n <= 0 ? 1000 : n;
    }

    static double checkWalltime(double s) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("walltime must be a non-negative number of seconds, got " + s);
        }
        return s;
    }

    static String checkName(String name, String dflt) {
        if (name == null) {
            return dflt;
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new IllegalArgumentException(
                    "a shell function's name is an identifier (letters, digits, _), got '" + name + "'");
        }
        return name;
    }
}
