package dev.gantry.worker;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskEnv;
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
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks: loads each function once (cached, least recently used dropped first), decodes the arguments,
 * calls it, and turns the outcome into a {@link TaskResult}. User exceptions become
 * {@code REMOTE_EXECUTION_ERROR} with the remote stack trace; anything that stops the task from starting is
 * {@code COULD_NOT_EXECUTE_TASK}; a result above the limit is {@code MAX_RESULT_SIZE_EXCEEDED}.
 */
public final class TaskRunner {
    public static final int MAX_RESULT_CHARS = dev.gantry.protocol.Limits.MAX_RESULT_CHARS;
    private static final int CACHE = 256;

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-timeouts");
        t.setDaemon(true);
        return t;
    });

    private final Path workDir;
    private final Map<dev.gantry.protocol.TaskId, TaskContext> active = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration timeout;
    private final MpiLauncher mpi;
    private final OutputPump output;
    private final Map<FunctionId, Invocable> loaded = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FunctionId, Invocable> e) {
            return size() > CACHE;
        }
    });

    /** A runner for this host, with the timeout of {@code GANTRY_TASK_TIMEOUT} in the environment (if any). */
    public TaskRunner(Path workDir) {
        this(workDir, timeoutFromEnvironment(), MpiLauncher.localMpiexec());
    }

    public TaskRunner(Path workDir, Duration timeout, MpiLauncher mpi) {
        this(workDir, timeout, mpi, OutputPump.discarding());
    }

    /** A runner that hands what each task writes to {@code output} while it runs. */
    public TaskRunner(Path workDir, Duration timeout, MpiLauncher mpi, OutputPump output) {
        this.workDir = workDir;
        this.timeout = timeout;
        this.mpi = mpi;
        this.output = output;
    }

    /** How long a task may run, or null for no limit. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * {@code GANTRY_TASK_TIMEOUT}: seconds (a decimal number) a task may run before it fails with
     * {@code TASK_TIMEOUT}, as Globus Compute's {@code GC_TASK_TIMEOUT}; unset, empty or 0 means no limit.
     */
    public static Duration timeoutFromEnvironment() {
        String v = System.getenv(TaskEnv.TIMEOUT);
        if (v == null || v.isBlank()) {
            return null;
        }
        double s;
        try {
            s = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(TaskEnv.TIMEOUT + " must be a number of seconds, got '" + v + "'");
        }
        return s == 0 ? null : Duration.ofNanos((long) (s * 1e9));
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
            args = fn.decodesItsArguments() ? null : Arguments.unpack(task.payload());
        } catch (JavaSourceFunctions.CompileError e) {
            return new TaskResult(
                    task.task(),
                    task.attempt(),
                    e.getMessage(),
                    new TaskResult.Failure(FailureCode.COMPILE_ERROR, "the function's source does not compile", null),
                    started,
                    System.currentTimeMillis());
        } catch (Exception | LinkageError e) {
            return failed(task, started, FailureCode.COULD_NOT_EXECUTE_TASK, "the task could not start: " + e, e);
        }
        TaskContext ctx = new TaskContext(task, workDir, mpi, output.open(task.task(), task.attempt()));
        ctx.bind(Thread.currentThread());
        TaskStreams.install();
        TaskStreams.bind(ctx.output());
        active.put(task.task(), ctx);
        ScheduledFuture<?> watchdog =
                timeout == null ? null : TIMERS.schedule(ctx::abort, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Invocable f = fn;
            String data = TaskEnv.with(ctx.environment(), ctx::sandbox, () -> f.invoke(args, ctx));
            if (ctx.aborted()) {
                return stopped(task, started, ctx);
            }
            if (data.length() > MAX_RESULT_CHARS) {
                return failed(
                        task,
                        started,
                        FailureCode.MAX_RESULT_SIZE_EXCEEDED,
                        "the result has " + data.length() + " characters, the limit is " + MAX_RESULT_CHARS,
                        null);
            }
            return new TaskResult(task.task(), task.attempt(), data, null, started, System.currentTimeMillis());
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (ctx.aborted()) {
                return stopped(task, started, ctx);
            }
            return failure(task, started, e);
        } finally {
            TaskStreams.bind(null);
            output.finish(ctx.output());
            active.remove(task.task());
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (ctx.aborted()) {
                Thread.interrupted();
            }
        }
    }

    private static TaskResult failure(TaskMessage task, long started, Throwable e) {
        if (e instanceof InvocationTargetException ite) {
            Throwable cause = ite.getCause();
            if (cause instanceof PythonFunctions.PythonException py) {
                return new TaskResult(
                        task.task(),
                        task.attempt(),
                        py.getMessage(),
                        new TaskResult.Failure(
                                FailureCode.REMOTE_EXECUTION_ERROR,
                                "An error occurred during the execution of this task",
                                py.type()),
                        started,
                        System.currentTimeMillis());
            }
            return failed(
                    task,
                    started,
                    FailureCode.REMOTE_EXECUTION_ERROR,
                    "An error occurred during the execution of this task",
                    cause);
        }
        if (e instanceof PythonFunctions.PythonFailure py) {
            return failed(task, started, FailureCode.COULD_NOT_EXECUTE_TASK, py.getMessage(), null);
        }
        return failed(task, started, FailureCode.COULD_NOT_EXECUTE_TASK, "the task could not run: " + e, e);
    }

    /** Stops a running task (kills what it started, interrupts it); false if it is not running here. */
    public boolean cancel(dev.gantry.protocol.TaskId task) {
        TaskContext ctx = active.get(task);
        if (ctx == null) {
            return false;
        }
        ctx.cancel();
        return true;
    }

    private TaskResult stopped(TaskMessage task, long started, TaskContext ctx) {
        return ctx.cancelled() ? cancelled(task, started) : timedOut(task, started, timeout);
    }

    /** The result of a task cancelled by its submitter. */
    public static TaskResult cancelled(TaskMessage task, long started) {
        String why = "the task was cancelled";
        return new TaskResult(
                task.task(),
                task.attempt(),
                why,
                new TaskResult.Failure(FailureCode.TASK_CANCELLED, why, "TaskCancelled"),
                started,
                System.currentTimeMillis());
    }

    /** The result of a task stopped because it ran longer than the timeout. */
    public static TaskResult timedOut(TaskMessage task, long started, Duration timeout) {
        String why = "the task ran longer than " + TaskEnv.TIMEOUT + " (" + timeout.toMillis() / 1000.0 + " s)";
        return new TaskResult(
                task.task(),
                task.attempt(),
                why,
                new TaskResult.Failure(FailureCode.TASK_TIMEOUT, why, "TaskTimeout"),
                started,
                System.currentTimeMillis());
    }

    private static Invocable load(FunctionDoc f) throws ReflectiveOperationException {
        List<String> buffers = Buffers.unpack(f.functionCode());
        if (buffers.size() != 1) {
            throw new IllegalArgumentException("function code is one buffer, got " + buffers.size());
        }
        Serialized code = Serialized.parse(buffers.get(0));
        return switch (code.strategy()) {
            case JAVA_BUNDLE ->
                JavaFunctions.load(f.functionUuid().toString(), Json.read(code.body(), JavaBundle.class));
            case SHELL -> ShellFunctions.load(Json.read(code.body(), ShellCommand.class));
            case PYTHON_SOURCE,
                    PURE_SOURCE_DILL,
                    DILL_CODE,
                    PICKLE_CODE,
                    DILL_CODE_TEXT_INSPECT,
                    DILL_CODE_SOURCE,
                    COMBINED_CODE,
                    ALL_CODE_STRATEGIES -> PythonFunctions.load(buffers.get(0));
            case JAVA_SOURCE -> JavaSourceFunctions.load(Json.read(code.body(), JavaSource.class));
            default ->
                throw new IllegalArgumentException("this worker cannot run functions serialized as '"
                        + code.strategy().id() + "'");
        };
    }

    private static TaskResult failed(TaskMessage task, long started, FailureCode code, String message, Throwable t) {
        String trace = t == null ? message : stackTrace(t);
        return new TaskResult(
                task.task(),
                task.attempt(),
                trace,
                new TaskResult.Failure(
                        code, message, t == null ? null : t.getClass().getName()),
                started,
                System.currentTimeMillis());
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
