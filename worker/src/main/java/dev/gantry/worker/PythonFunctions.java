package dev.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs Python functions in any of Globus Compute's serialization strategies (dill, pickle, source; data as
 * dill or JSON) in warm interpreters ({@link PythonInterpreter}), each serving one task at a time: the
 * function's code buffer, the packed arguments and the result serializers in, the serialized result out. The
 * interpreter decodes everything itself, so its function sees what the submitter's Python sent. A Python
 * exception is a remote execution error carrying the user's traceback; code or arguments that do not decode,
 * or a result no serializer takes, is a task that could not start, with Python's reason; a process that dies
 * fails its task and is replaced. What the function prints is its task's output ({@link StderrRelay}).
 */
final class PythonFunctions {
    private static final String RUNNER = runnerScript();
    private static final ConcurrentLinkedQueue<Interpreter> IDLE = new ConcurrentLinkedQueue<>();
    /** How long a reply waits for the task's last prints, which travel on another pipe. */
    private static final long PRINTS_WAIT_MS = 2000;

    /** One warm interpreter running the runner script. */
    private record Interpreter(
            String command, Process process, BufferedWriter in, BufferedReader out, StderrRelay prints) {
        static Interpreter start() {
            String python = PythonInterpreter.command();
            Process p;
            try {
                p = new ProcessBuilder(List.of(python, "-u", "-c", RUNNER)).start();
            } catch (IOException e) {
                throw new PythonFailure("cannot start this endpoint's Python ('" + python + "'): " + e.getMessage()
                        + "; set the endpoint's 'python' to an interpreter that exists");
            }
            return new Interpreter(
                    python,
                    p,
                    new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)),
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                    new StderrRelay(p.getErrorStream(), System.err).start());
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

    /** An exception raised by the user's Python code, with its traceback. */
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

    /**
     * A Python task that failed outside the user's code (its code, arguments or result did not (de)serialize,
     * or its interpreter could not start or died), with the reason and no Java stack trace.
     */
    static final class PythonFailure extends RuntimeException {
        PythonFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The function whose serialized code buffer (strategy id, newline, body) is {@code code}. */
    static Invocable load(String code) {
        return new Invocable() {
            @Override
            public String invoke(dev.gantry.protocol.payload.Arguments ignored, TaskContext ctx) throws Exception {
                String request = Json.write(Map.of(
                        "code",
                        code,
                        "payload",
                        ctx.message().payload(),
                        "serializers",
                        ctx.message().resultSerializers() == null
                                ? List.of()
                                : ctx.message().resultSerializers(),
                        "dir",
                        ctx.sandbox().toString(),
                        "env",
                        ctx.pythonEnvironment()));
                JsonNode reply = run(request, ctx);
                if (reply.path("ok").asBoolean()) {
                    return reply.path("result").asText();
                }
                String trace = reply.path("traceback").asText();
                if ("user".equals(reply.path("kind").asText())) {
                    throw new InvocationTargetException(
                            new PythonException(reply.path("type").asText(), trace));
                }
                throw new PythonFailure(trace);
            }

            @Override
            public boolean decodesItsArguments() {
                return true;
            }
        };
    }

    /** Runs one request on an idle interpreter; one that is killed with its task is not reused. */
    private static JsonNode run(String request, TaskContext ctx) throws IOException {
        Interpreter py = IDLE.poll();
        while (py != null && !(py.process().isAlive() && py.command().equals(PythonInterpreter.command()))) {
            py.process().destroy();
            py = IDLE.poll();
        }
        if (py == null) {
            py = Interpreter.start();
        }
        ctx.track(py.process());
        py.prints().attach(ctx.output());
        String reply;
        try {
            reply = py.call(request);
            py.prints().awaitEnd(reply == null ? 0 : PRINTS_WAIT_MS);
        } catch (IOException | InterruptedException e) {
            reply = null;
        } finally {
            ctx.finished(py.process());
        }
        if (reply == null || ctx.aborted()) {
            py.process().destroyForcibly();
            throw new PythonFailure("python3 exited while running the task (exit code "
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
