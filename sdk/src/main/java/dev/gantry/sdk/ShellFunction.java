package dev.gantry.sdk;

/**
 * A shell command run with {@code bash} on the endpoint, in the task's own directory (Globus Compute's
 * ShellFunction). {@code {name}} placeholders are filled from the keyword arguments of the submit
 * ({@code {{} and {@code }}} for braces). After {@code walltimeS} seconds (when positive) it is killed and
 * returns code 124.
 */
public record ShellFunction(String cmd, double walltimeS, int snippetLines) {
    public ShellFunction {
        if (cmd == null || cmd.isBlank()) {
            throw new IllegalArgumentException("a shell function needs a command");
        }
        if (snippetLines <= 0) {
            snippetLines = 1000;
        }
    }

    public ShellFunction(String cmd) {
        this(cmd, 0, 1000);
    }
}
