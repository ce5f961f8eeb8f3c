package dev.gantry.sdk;

/**
 * A shell command run under the endpoint's MPI launcher (Globus Compute's MPIFunction): the command line is
 * prefixed with {@code $GANTRY_MPI_PREFIX} (also set as {@code $PARSL_MPI_PREFIX}), which the engine builds from
 * the task's resource specification; set one with {@link ComputeExecutor#resourceSpecification}. In a
 * multi-line command the prefix applies once; write {@code $GANTRY_MPI_PREFIX} before each other MPI line. The
 * other fields are as in {@link ShellFunction}.
 */
public record MPIFunction(
        String cmd, String stdout, String stderr, double walltimeS, int snippetLines, String name, boolean returnDict) {
    public MPIFunction {
        cmd = ShellFunctions.checkCommand(cmd);
        snippetLines = ShellFunctions.checkSnippetLines(snippetLines);
        walltimeS = ShellFunctions.checkWalltime(walltimeS);
        name = ShellFunctions.checkName(name, "MPIFunction");
    }

    public MPIFunction(String cmd) {
        this(cmd, null, null, 0, 1000, null, false);
    }
}
