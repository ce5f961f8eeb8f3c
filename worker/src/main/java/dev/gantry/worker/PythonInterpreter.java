package dev.gantry.worker;

import dev.gantry.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** What {@link #probe} found of each interpreter asked, so that choosing and describing run it once. */
    private static final Map<String, Map<String, String>> PROBED = new ConcurrentHashMap<>();

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
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (probe(candidate).containsKey("dill_version")) {
                return candidate;
            }
        }
        return "python3";
    }

    /**
     * The interpreter's {@code python_version}, {@code dill_version} and {@code os} as Globus Compute's workers
     * report them; empty if it does not run (or lacks dill: then only what it has).
     */
    public static Map<String, String> describe() {
        return probe(command());
    }

    /** Runs {@code python} once to learn its versions (dill's only if it imports); empty if it does not run. */
    private static Map<String, String> probe(String python) {
        return PROBED.computeIfAbsent(python, PythonInterpreter::run);
    }

    private static Map<String, String> run(String python) {
        String script = "import json, platform\nd = {'python_version': platform.python_version(),"
                + " 'os': platform.platform()}\ntry:\n    import dill\n    d['dill_version'] = dill.__version__\n"
                + "except ImportError:\n    pass\nprint(json.dumps(d))";
        try {
            Process p = new ProcessBuilder(python, "-c", script)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Map.of();
            }
            Map<String, String> d = new HashMap<>();
            Json.mapper()
                    .readTree(out)
                    .fields()
                    .forEachRemaining(e -> d.put(e.getKey(), e.getValue().asText()));
            return Map.copyOf(d);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }
}
