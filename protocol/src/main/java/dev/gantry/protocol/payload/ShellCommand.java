package dev.gantry.protocol.payload;

/** A shell function: a {@code bash} command line, killed after {@code walltimeS} seconds when positive. */
public record ShellCommand(String cmd, double walltimeS, int snippetLines) {
    public ShellCommand {
        if (cmd == null || cmd.isBlank()) {
            throw Buffers.malformed("a shell function needs a command");
        }
        if (snippetLines <= 0) {
            snippetLines = 1000;
        }
    }
}
