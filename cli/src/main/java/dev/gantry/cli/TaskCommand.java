package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskList;
import dev.gantry.protocol.api.TaskStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry task}: list, look at, watch and cancel your tasks, with the local credentials. */
@Command(
        name = "task",
        description = "List, show, watch, read the output of, or cancel your tasks.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TaskCommand.ListCmd.class,
            TaskCommand.Status.class,
            TaskWatch.class,
            TaskLogs.class,
            TaskCommand.Cancel.class
        })
final class TaskCommand {

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show a task: its state, times, attempts, and its result or its error.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String task;

        @Option(names = "--json", description = "Print the service's JSON document instead.")
        boolean json;

        @Override
        public Integer call() {
            TaskStatus s = ServiceClient.fromEnvironment().get("/v2/tasks/" + TaskId.of(task), TaskStatus.class);
            if (json) {
                System.out.println(Json.write(s));
            } else {
                TaskText.print(s, System.out);
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List your tasks, newest first, with how many are in each state.")
    static final class ListCmd implements Callable<Integer> {
        @Option(
                names = {"-e", "--endpoint"},
                paramLabel = "NAME|UUID",
                description = "Only this endpoint's tasks.")
        String endpoint;

        @Option(
                names = {"-g", "--group"},
                paramLabel = "UUID",
                description = "Only this task group's tasks.")
        String group;

        @Option(
                names = {"-f", "--function"},
                paramLabel = "UUID",
                description = "Only this function's tasks.")
        String function;

        @Option(
                names = {"-s", "--state"},
                paramLabel = "STATE",
                description = "Only tasks in this state (waiting-for-ep, running, success, failed, cancelled, ...).")
        String state;

        @Option(
                names = {"-n", "--limit"},
                description = "How many to show (default ${DEFAULT-VALUE}; at most 1000).")
        int limit = 50;

        @Option(names = "--before", paramLabel = "CURSOR", description = "Continue from a page's 'next' cursor.")
        String before;

        @Option(names = "--json", description = "Print the service's JSON document instead.")
        boolean json;

        @Override
        public Integer call() {
            List<String> q = new ArrayList<>(List.of("limit=" + limit));
            add(
                    q,
                    "endpoint_id",
                    endpoint == null ? null : EndpointRef.id(endpoint).toString());
            add(q, "task_group_id", group);
            add(q, "function_id", function);
            add(q, "status", state);
            add(q, "before", before);
            TaskList page = ServiceClient.fromEnvironment().get("/v3/tasks?" + String.join("&", q), TaskList.class);
            if (json) {
                System.out.println(Json.write(page));
                return 0;
            }
            System.out.printf("%-36s  %-18s  %-23s  %-36s%n", "Task ID", "State", "Submitted", "Endpoint ID");
            for (TaskList.Entry t : page.tasks()) {
                System.out.printf(
                        "%-36s  %-18s  %-23s  %-36s%n",
                        t.taskId(),
                        t.status() + (t.attempt() > 1 ? " (#" + t.attempt() + ")" : ""),
                        TaskText.time(t.createdAt()),
                        t.endpointId());
            }
            System.out.println(page.total() + " tasks: " + TaskWatch.counts(page.counts()));
            if (page.next() != null) {
                System.out.println("more: gantry task list --before " + page.next() + " (with the same filters)");
            }
            return 0;
        }

        private static void add(List<String> q, String name, String value) {
            if (value != null) {
                q.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a task: a queued one never runs, a running one is stopped.")
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String task;

        @Override
        public Integer call() {
            TaskStatus s = ServiceClient.fromEnvironment()
                    .post("/v3/tasks/" + TaskId.of(task) + "/cancel", java.util.Map.of(), TaskStatus.class);
            System.out.println("task " + s.taskId() + ": " + s.status());
            return 0;
        }
    }
}
