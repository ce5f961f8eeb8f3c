package dev.gantry.sdk;

/**
 * A shell command run with {@code bash} on the endpoint, in the task's own sandbox directory (Globus
 * Compute's ShellFunction). {@code {name}} placeholders are filled from the keyword arguments of the submit
 * ({@code {{} and {@code }}} for braces). Output is appended to {@code stdout} and {@code stderr} when they
 * name files on the endpoint (relative to the sandbox; directories are created), else to files in the sandbox;
 * the result holds their last {@code snippetLines} lines. After {@code walltimeS} seconds (when positive) the
 * command is killed and returns code 124. {@code name} is the registered function's name.
 * {@code returnDict} is Globus Compute's {@code return_dict}: its Python SDK returns a {@code ShellResult}
 * object unless it is set. Gantry's worker always returns the JSON object {@code cmd, stdout, stderr,
 * returncode, exception_name} (what {@code return_dict} gives), which {@link ComputeExecutor#submit(ShellFunction)}
 * reads as a {@link ShellResult}, and {@code submitToRegisteredFunction(id, Map.class)} as a map; the flag is
 * kept so that code ported from Python reads the same.
 */
public record ShellFunction(
        String cmd, String stdout, String stderr, double walltimeS, int snippetLines, String name, boolean returnDict) {
    public ShellFunction {
        cmd = ShellFunctions.checkCommand(cmd);
        snippetLines = ShellFunctions.checkSnippetLines(snippetLines);
        walltimeS = ShellFunctions.checkWalltime(walltimeS);
        name = ShellFunctions.checkName(name, "ShellFunction");
    }

    public ShellFunction(String cmd) {
        this(cmd, null, null, 0, 1000, null, false);
    }

    public ShellFunction(String cmd, double walltimeS, int snippetLines) {
        this(cmd, null, null, walltimeS, snippetLines, null, false);
    }
}
