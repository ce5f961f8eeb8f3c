package dev.gantry.worker;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.JavaSource;
import dev.gantry.protocol.payload.Serialized;
import dev.gantry.protocol.payload.ShellCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs tasks: loads each function once (cached, least recently used dropped first), decodes the arguments,
 * calls it, and turns the outcome into a {@link TaskResult}. User exceptions become
 * {@code REMOTE_EXECUTION_ERROR} with the remote stack trace; anything that stops the task from starting is
 * {@code COULD_NOT_EXECUTE_TASK}; a result above the limit is {@code MAX_RESULT_SIZE_EXCEEDED}.
 */
public final class TaskRunner {
    public static final int MAX_RESULT_CHARS = dev.gantry.protocol.Limits.MAX_RESULT_CHARS;
    private static final int CACHE = 256;

    private final Path workDir;
    private final Map<FunctionId, Invocable> loaded = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<FunctionId, Invocable> e) {
                    return size() > CACHE;
                }
            });

    public TaskRunner(Path workDir) {
        this.workDir = workDir;
    }

    public TaskResult run(TaskMessage task, FunctionDoc function) {
        long started = System.currentTimeMillis();
        Invocable fn;
        Arguments args;
        try {
            fn = loaded.get(function.functionUuid());
            if (fn == null) {
                fn = load(function);
                loaded.put(function.functionUuid(), fn);
            }
            args = Arguments.unpack(task.payload());
        } catch (JavaSourceFunctions.CompileError e) {
            return new TaskResult(task.task(), task.attempt(), e.getMessage(), new TaskResult.Failure(
                    ErrorCode.COMPILE_ERROR, "the function's source does not compile", null), started,
                    System.currentTimeMillis());
        } catch (Exception | LinkageError e) {
            return failed(task, started, ErrorCode.COULD_NOT_EXECUTE_TASK, "the task could not start: " + e, e);
        }
        try {
            String data = fn.invoke(args, new TaskContext(task.task(), workDir));
            if (data.length() > MAX_RESULT_CHARS) {
                return failed(task, started, ErrorCode.MAX_RESULT_SIZE_EXCEEDED, "the result has " + data.length()
                        + " characters, the limit is " + MAX_RESULT_CHARS, null);
            }
            return new TaskResult(task.task(), task.attempt(), data, null, started, System.currentTimeMillis());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PythonFunctions.PythonException py) {
                return new TaskResult(task.task(), task.attempt(), py.getMessage(), new TaskResult.Failure(
                        ErrorCode.REMOTE_EXECUTION_ERROR, "An error occurred during the execution of this task",
                        py.type()), started, System.currentTimeMillis());
            }
            return failed(task, started, ErrorCode.REMOTE_EXECUTION_ERROR,
                    "An error occurred during the execution of this task", cause);
        } catch (Exception | LinkageError | StackOverflowError e) {
            return failed(task, started, ErrorCode.COULD_NOT_EXECUTE_TASK, "the task could not run: " + e, e);
        }
    }

    private static Invocable load(FunctionDoc f) throws ReflectiveOperationException {
        List<String> buffers = Buffers.unpack(f.functionCode());
        if (buffers.size() != 1) {
            throw new IllegalArgumentException("function code is one buffer, got " + buffers.size());
        }
        Serialized code = Serialized.parse(buffers.get(0));
        return switch (code.strategy()) {
            case JAVA_BUNDLE -> JavaFunctions.load(f.functionUuid().toString(), Json.read(code.body(), JavaBundle.class));
            case SHELL -> ShellFunctions.load(Json.read(code.body(), ShellCommand.class));
            case PYTHON_SOURCE -> PythonFunctions.load(code.body());
            case JAVA_SOURCE -> JavaSourceFunctions.load(Json.read(code.body(), JavaSource.class));
            default -> throw new IllegalArgumentException("this worker cannot run functions serialized as '"
                    + code.strategy().id() + "'");
        };
    }

    private static TaskResult failed(TaskMessage task, long started, ErrorCode code, String message, Throwable t) {
        String trace = t == null ? message : stackTrace(t);
        return new TaskResult(task.task(), task.attempt(), trace,
                new TaskResult.Failure(code, message, t == null ? null : t.getClass().getName()), started,
                System.currentTimeMillis());
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
