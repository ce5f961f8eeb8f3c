package dev.gantry.cli;

import dev.gantry.endpoint.EndpointDir;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry jshell}: the JDK's jshell with the SDK on its class path and {@code ex}, an executor for an
 * endpoint, ready. jshell keeps top-level variables in static fields; the SDK sends the ones a function reads
 * along with it (or refuses the function), so a lambda sees the values they have when it is submitted.
 */
@Command(
        name = "jshell",
        mixinStandardHelpOptions = true,
        description = "Open jshell with the SDK on its class path and 'ex', a ComputeExecutor for an endpoint.")
final class JshellCommand implements Callable<Integer> {
    @Option(
            names = {"-e", "--endpoint"},
            paramLabel = "NAME|UUID",
            description = "The endpoint 'ex' submits to (default: this machine's only endpoint, if it has one).")
    String endpoint;

    @Parameters(paramLabel = "JSHELL_ARGS", description = "Passed to jshell (after --).")
    List<String> jshellArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String cp = System.getProperty("gantry.sdk.classpath");
        if (cp == null) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, "run this as ./gantry jshell (the launcher)");
        }
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "this Java (" + System.getProperty("java.home") + ") has no jshell: use a full JDK 21 or newer");
        }
        Path startup = Files.createTempFile("gantry-jshell-", ".jsh");
        try {
            Files.writeString(startup, startup(target()));
            List<String> cmd = new ArrayList<>(List.of(
                    jshell.toString(), "--class-path", cp, "--startup", "DEFAULT", "--startup", startup.toString()));
            cmd.addAll(jshellArgs);
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        } finally {
            Files.deleteIfExists(startup);
        }
    }

    /** The endpoint {@code ex} submits to, and the name it was given by. */
    private record Target(EndpointId id, String name) {}

    /** The endpoint named, or the only one configured here; null when there is none to choose. */
    private Target target() {
        if (endpoint != null) {
            return new Target(EndpointRef.id(endpoint), endpoint);
        }
        List<EndpointDir> all = EndpointRef.configured().stream()
                .filter(d -> d.endpointId().isPresent())
                .toList();
        return all.size() == 1
                ? new Target(all.get(0).endpointId().get(), all.get(0).name())
                : null;
    }

    private static String startup(Target target) {
        StringBuilder s = new StringBuilder("import dev.gantry.sdk.*;\n");
        if (target == null) {
            s.append("System.out.println(\"No endpoint chosen: start jshell with --endpoint NAME, or make one with"
                    + " ComputeExecutor.builder().endpointId(\\\"<uuid>\\\").build()\");\n");
            return s.toString();
        }
        String id = target.id().toString();
        String name = target.name();
        s.append("ComputeExecutor ex = ComputeExecutor.builder().endpointId(\"")
                .append(id)
                .append("\").build();\n");
        s.append("System.out.println(\"ex submits to endpoint ")
                .append(name.replace("\"", "'"))
                .append(" (")
                .append(id)
                .append("); try: ex.submit((String s) -> s.toUpperCase(), \\\"hello\\\").get()\");\n");
        return s.toString();
    }
}
