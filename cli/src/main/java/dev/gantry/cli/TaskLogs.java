package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskOutput;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry task logs ID [--follow]}: what a task wrote (its latest attempt), as the service keeps it (the
 * newest part, up to its {@code output_kept_bytes}); with {@code --follow}, what it writes next too, until it ends.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print what a task wrote (its standard output and error); --follow waits for more until it ends.")
final class TaskLogs implements Callable<Integer> {
    static final long POLL_MS = 500;

    @Parameters(index = "0", paramLabel = "TASK_ID")
    String task;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing what the task writes until it ends.")
    boolean follow;

    @Option(names = "--json", description = "Print the service's JSON document (one read) instead.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        ServiceClient http = ServiceClient.fromEnvironment();
        TaskId id = TaskId.of(task);
        PrintStream out = System.out;
        long from = 0;
        while (true) {
            TaskOutput o = http.get("/v3/tasks/" + id + "/output?from=" + from, TaskOutput.class);
            if (json) {
                out.println(Json.write(o));
                return 0;
            }
            if (o.offset() > from) {
                out.println("[gantry: " + (o.offset() - from) + " earlier bytes were not kept]");
            }
            out.print(o.text());
            out.flush();
            boolean more = o.next() > o.offset();
            from = o.next();
            // the last output may be stored a moment after the task ended: stop at the first empty read after it
            if (!follow || (o.ended() && !more)) {
                return 0;
            }
            if (!more) {
                Thread.sleep(POLL_MS); // polling the REST route is what a follow is
            }
        }
    }
}
