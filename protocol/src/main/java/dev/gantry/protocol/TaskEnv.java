package dev.gantry.protocol;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The task environment as Java functions see it. Shell, MPI and Python tasks get {@code GANTRY_TASK_ID} and
 * {@code GANTRY_TASK_SANDBOX_DIR} as environment variables of their process; a Java function shares its JVM
 * with other tasks, so it reads them here, for the task running on the calling thread. Outside a task every
 * lookup falls back to the process environment.
 */
public final class TaskEnv {
    public static final String TASK_ID = "GANTRY_TASK_ID";
    public static final String SANDBOX_DIR = "GANTRY_TASK_SANDBOX_DIR";
    public static final String TIMEOUT = "GANTRY_TASK_TIMEOUT";

    private record Current(Map<String, String> variables, Supplier<Path> sandbox) {}

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private TaskEnv() {}

    /** A variable of the running task, else of the process; null when neither has it. */
    public static String get(String name) {
        Current c = CURRENT.get();
        if (c != null && SANDBOX_DIR.equals(name)) {
            return c.sandbox().get().toString();
        }
        String v = c == null ? null : c.variables().get(name);
        return v != null ? v : System.getenv(name);
    }

    /** The running task's id, or null outside a task. */
    public static String taskId() {
        Current c = CURRENT.get();
        return c == null ? null : c.variables().get(TASK_ID);
    }

    /** The running task's own directory, created on first use; null outside a task. */
    public static Path sandboxDir() {
        Current c = CURRENT.get();
        return c == null ? null : c.sandbox().get();
    }

    /** Runs {@code body} as the task with these variables; for workers. */
    public static <T> T with(Map<String, String> variables, Supplier<Path> sandbox, Callable<T> body) throws Exception {
        Current previous = CURRENT.get();
        CURRENT.set(new Current(Map.copyOf(variables), sandbox));
        try {
            return body.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** A body that may throw. */
    @FunctionalInterface
    public interface Callable<T> {
        T call() throws Exception;
    }
}
