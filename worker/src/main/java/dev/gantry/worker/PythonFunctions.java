package dev.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Strategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python-source functions (Globus Compute's {@code st} strategy, {@code name:source}) with
 * {@code python3} from the worker's PATH, one process per task; JSON arguments in, JSON result out. A Python
 * exception is a remote execution error carrying the Python traceback.
 */
final class PythonFunctions {
    private static final String RUNNER = runnerScript();

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
            String request = Json.write(Map.of("name", name, "source", source, "args", args.args(), "kwargs", args.kwargs()));
            JsonNode reply = run(request, ctx);
            if (reply.path("ok").asBoolean()) {
                return Strategy.JSON.tag(reply.get("result").asText());
            }
            throw new InvocationTargetException(new PythonException(reply.path("type").asText(),
                    reply.path("traceback").asText()));
        };
    }

    private static JsonNode run(String request, TaskContext ctx) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(ctx.workDir().resolve(ctx.task().toString()));
        Process p = new ProcessBuilder(List.of("python3", "-c", RUNNER)).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr").toFile())).start();
        p.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || out.length == 0) {
            throw new IOException("python3 ended without a reply (exit " + (p.isAlive() ? "none" : p.exitValue())
                    + "); its stderr is in " + dir.resolve("stderr"));
        }
        return Json.mapper().readTree(out);
    }

    private static String runnerScript() {
        try (InputStream in = PythonFunctions.class.getResourceAsStream("python_runner.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
