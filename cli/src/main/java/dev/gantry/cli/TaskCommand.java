package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry task}: look at and cancel tasks, with the local credentials. */
@Command(
        name = "task",
        description = "Show or cancel tasks.",
        mixinStandardHelpOptions = true,
        subcommands = {TaskCommand.Status.class, TaskCommand.Cancel.class})
final class TaskCommand {

    @Command(name = "status", description = "Print a task's status, result or error, and its attempts, as JSON.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String task;

        @Override
        public Integer call() {
            TaskStatus s = ServiceClient.fromEnvironment().get("/v2/tasks/" + TaskId.of(task), TaskStatus.class);
            System.out.println(Json.write(s));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancel a task: a queued one never runs, a running one is stopped.")
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
