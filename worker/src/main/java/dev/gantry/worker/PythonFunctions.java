package dev.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Strategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs Python-source functions (Globus Compute's {@code st} strategy, {@code name:source}) in warm
 * {@code python3} processes (from the worker's PATH), each serving one task at a time: JSON arguments in,
 * JSON result out. A Python exception is a remote execution error carrying the Python traceback; a process
 * that dies fails its task and is replaced.
 */
final class PythonFunctions {
    private static final String RUNNER = runnerScript();
    private static final java.util.concurrent.ConcurrentLinkedQueue<Interpreter> IDLE =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** One warm {@code python3} running the runner script. */
    private record Interpreter(Process process, java.io.BufferedWriter in, java.io.BufferedReader out) {
        static Interpreter start() throws IOException {
            Process p = new ProcessBuilder(List.of("python3", "-u", "-c", RUNNER))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new Interpreter(
                    p,
                    new java.io.BufferedWriter(
                            new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)),
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }

        /** One request; null if the process died. */
        String call(String request) throws IOException {
            in.write(request);
            in.newLine();
            in.flush();
            return out.readLine();
        }
    }

    private PythonFunctions() {}

    /** Exceptions raised by Python code; thrown wrapped so that the task runner reports them as user errors. */
    static final class PythonException extends Exception {
        private final String type;

        PythonException(String type, String traceback) {
            super(traceback);
            this.type = type;
        }

        String type() {
            return type;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    static Invocable load(String body) {
        int colon = body.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a Python-source function is 'name:source'");
        }
        String name = body.substring(0, colon);
        String source = body.substring(colon + 1);
        return (args, ctx) -> {
            args.requireJson("Python");
            Path dir = ctx.sandbox();
            String request = Json.write(Map.of(
                    "name",
                    name,
                    "source",
                    source,
                    "args",
                    args.args(),
                    "kwargs",
                    args.kwargs(),
                    "dir",
                    dir.toString(),
                    "env",
                    ctx.environment()));
            JsonNode reply = run(request, ctx);
            if (reply.path("ok").asBoolean()) {
                return Strategy.JSON.tag(reply.get("result").asText());
            }
            throw new InvocationTargetException(new PythonException(
                    reply.path("type").asText(), reply.path("traceback").asText()));
        };
    }

    /** Runs one request on an idle interpreter; one that is killed with its task is not reused. */
    private static JsonNode run(String request, TaskContext ctx) throws IOException {
        Interpreter py = IDLE.poll();
        if (py == null || !py.process().isAlive()) {
            py = Interpreter.start();
        }
        ctx.track(py.process());
        String reply;
        try {
            reply = py.call(request);
        } finally {
            ctx.finished(py.process());
        }
        if (reply == null || ctx.aborted()) {
            py.process().destroyForcibly();
            throw new IOException("python3 exited while running the task (exit code "
                    + (py.process().isAlive() ? "unknown" : py.process().exitValue()) + ")");
        }
        IDLE.add(py);
        return Json.mapper().readTree(reply);
    }

    private static String runnerScript() {
        try (InputStream in = PythonFunctions.class.getResourceAsStream("python_runner.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
