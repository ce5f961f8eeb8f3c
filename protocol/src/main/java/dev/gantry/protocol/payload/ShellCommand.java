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

    /** The function code of this command: one packed buffer in the shell strategy. */
    public String functionCode() {
        return Buffers.pack(java.util.List.of(Strategy.SHELL.tag(dev.gantry.protocol.Json.write(this))));
    }
}
