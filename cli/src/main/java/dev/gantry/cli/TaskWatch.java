package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskList;
import dev.gantry.protocol.api.TaskStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry task watch}: a task's or a group's progress until every task has ended. On a terminal the bar is
 * redrawn in place; elsewhere a line is printed each time the counts change. Exit code 0 when every task
 * succeeded, 1 when one did not.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Show a task's or a task group's progress (counts by state) until every task has ended.")
final class TaskWatch implements Callable<Integer> {
    private static final int WIDTH = 30;
    private static final List<String> ORDER = List.of(
            "waiting-for-ep",
            "waiting-for-nodes",
            "waiting-for-launch",
            "running",
            "success",
            "failed",
            "cancelled",
            "expired");

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK_ID")
    String task;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "UUID",
            description = "Watch every task of this group.")
    String group;

    @Option(names = "--interval", description = "Seconds between looks (default ${DEFAULT-VALUE}).")
    double interval = 0.5;

    @Override
    public Integer call() throws InterruptedException {
        if ((task == null) == (group == null)) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, "name a TASK_ID or a --group, one of them");
        }
        ServiceClient client = ServiceClient.fromEnvironment();
        boolean tty = System.console() != null;
        PrintStream out = System.out;
        long start = System.nanoTime();
        String shown = null;
        while (true) {
            Map<String, Long> counts = group != null ? groupCounts(client) : Map.of(taskState(client), 1L);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long ended = ended(counts);
            String line = bar(ended, total) + "  " + ended + "/" + total + "  " + counts(counts);
            if (!line.equals(shown)) {
                out.print(tty ? "\r\033[K" + line : line + "\n");
                out.flush();
                shown = line;
            }
            if (total > 0 && ended == total) {
                double s = (System.nanoTime() - start) / 1e9;
                out.printf(
                        java.util.Locale.ROOT,
                        "%s%d tasks ended in %.1f s: %s%n",
                        tty ? "\n" : "",
                        total,
                        s,
                        counts(counts));
                return counts.getOrDefault("success", 0L) == total ? 0 : 1;
            }
            Thread.sleep(Math.max(50, (long) (interval * 1000)));
        }
    }

    private Map<String, Long> groupCounts(ServiceClient client) {
        TaskList page = client.get("/v3/tasks?limit=1&task_group_id=" + TaskGroupId.of(group), TaskList.class);
        if (page.total() == 0) {
            throw new GantryException(ApiError.TASK_GROUP_NOT_FOUND, "task group " + group + " has no tasks of yours");
        }
        return page.counts();
    }

    private String taskState(ServiceClient client) {
        return client.get("/v2/tasks/" + TaskId.of(task), TaskStatus.class).status();
    }

    private static long ended(Map<String, Long> counts) {
        long n = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            n += TaskState.fromWire(e.getKey()).isTerminal() ? e.getValue() : 0;
        }
        return n;
    }

    private static String bar(long ended, long total) {
        int full = total == 0 ? 0 : (int) (WIDTH * ended / total);
        return "[" + "#".repeat(full) + ".".repeat(WIDTH - full) + "]";
    }

    /** Counts by state in the order a task goes through them: "running 2, success 8". */
    static String counts(Map<String, Long> counts) {
        StringJoiner j = new StringJoiner(", ");
        for (String s : ORDER) {
            Long n = counts.get(s);
            if (n != null && n > 0) {
                j.add(s + " " + n);
            }
        }
        return j.length() == 0 ? "none" : j.toString();
    }
}
