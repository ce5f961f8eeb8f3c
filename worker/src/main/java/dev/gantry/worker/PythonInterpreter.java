package dev.gantry.worker;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which {@code python3} runs an endpoint's Python functions: the endpoint's {@code python} (passed to its
 * engines and worker processes as the system property {@value #PROPERTY}, or {@code GANTRY_PYTHON} in the
 * environment), else the first of {@code python3} on the PATH and Debian's {@code /usr/bin/python3} that can
 * import dill (Globus Compute's default serializers need it), else {@code python3}, whose tasks that need dill
 * then fail saying so.
 */
public final class PythonInterpreter {
    /** The system property that names the interpreter, for this JVM and the processes it starts. */
    public static final String PROPERTY = "gantry.python";

    private static volatile String chosen;

    private PythonInterpreter() {}

    /** The interpreter's command, chosen once per JVM. */
    public static String command() {
        String c = chosen;
        if (c == null) {
            c = choose();
            chosen = c;
        }
        return c;
    }

    /** Makes {@code python} this JVM's interpreter from now on (tests; an endpoint sets the property). */
    static void use(String python) {
        chosen = python;
    }

    /** {@code -Dgantry.python=...} for a JVM this one starts, when the interpreter was configured; else none. */
    public static List<String> jvmOptions() {
        String configured = configured();
        return configured == null ? List.of() : List.of("-D" + PROPERTY + "=" + configured);
    }

    private static String configured() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv("GANTRY_PYTHON");
        }
        return p == null || p.isBlank() ? null : p.strip();
    }

    private static String choose() {
        String configured = configured();
        if (configured != null) {
            return configured;
        }
        Set<String> candidates = new LinkedHashSet<>(List.of("python3", "/usr/bin/python3"));
        for (String candidate : candidates) {
            if (importsDill(candidate)) {
                return candidate;
            }
        }
        return "python3";
    }

    /**
     * The interpreter's {@code python_version}, {@code dill_version} and {@code os} as Globus Compute's workers
     * report them; empty if it does not run (or lacks dill: then only what it has).
     */
    public static java.util.Map<String, String> describe() {
        String script = "import json, platform\nd = {'python_version': platform.python_version(),"
                + " 'os': platform.platform()}\ntry:\n    import dill\n    d['dill_version'] = dill.__version__\n"
                + "except ImportError:\n    pass\nprint(json.dumps(d))";
        try {
            Process p = new ProcessBuilder(command(), "-c", script)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return java.util.Map.of();
            }
            java.util.Map<String, String> d = new java.util.HashMap<>();
            dev.gantry.protocol.Json.mapper()
                    .readTree(out)
                    .fields()
                    .forEachRemaining(e -> d.put(e.getKey(), e.getValue().asText()));
            return d;
        } catch (IOException e) {
            return java.util.Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Map.of();
        }
    }

    private static boolean importsDill(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import dill")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
