package dev.gantry.protocol.payload;

/**
 * A shell or MPI function (Globus Compute's ShellFunction and MPIFunction): a {@code bash} command line,
 * killed after {@code walltimeS} seconds when positive, its output appended to {@code stdout} and
 * {@code stderr} (paths on the endpoint; files in the task's sandbox when null), the last
 * {@code snippetLines} lines returned. An MPI command runs under the engine's MPI launcher prefix.
 */
public record ShellCommand(String cmd, double walltimeS, int snippetLines, String stdout, String stderr, boolean mpi) {
    public static final int MAX_SNIPPET_LINES = 100_000;

    public ShellCommand {
        if (cmd == null || cmd.isBlank()) {
            throw Buffers.malformed("a shell function needs a command");
        }
        if (snippetLines <= 0) {
            snippetLines = 1000;
        }
        if (snippetLines > MAX_SNIPPET_LINES) {
            throw Buffers.malformed("snippet_lines is at most " + MAX_SNIPPET_LINES + ", got " + snippetLines);
        }
        if (!(walltimeS >= 0) || Double.isInfinite(walltimeS)) {
            throw Buffers.malformed("walltime must be a non-negative number of seconds, got " + walltimeS);
        }
        stdout = blankToNull(stdout);
        stderr = blankToNull(stderr);
    }

    public ShellCommand(String cmd, double walltimeS, int snippetLines) {
        this(cmd, walltimeS, snippetLines, null, null, false);
    }

    /** The same command with its line replaced (after placeholders were filled). */
    public ShellCommand withCmd(String line) {
        return new ShellCommand(line, walltimeS, snippetLines, stdout, stderr, mpi);
    }

    /** The function code of this command: one packed buffer in the shell strategy. */
    public String functionCode() {
        return Buffers.pack(java.util.List.of(Strategy.SHELL.tag(dev.gantry.protocol.Json.write(this))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
