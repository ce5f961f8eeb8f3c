package dev.gantry.service.channel;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an endpoint's frame may report, checked where it enters: only tasks its connection may report on
 * ({@link EndpointConnection#owns}; the others change nothing, are counted, and are logged once per channel),
 * and no result larger than the service stores.
 */
final class ReportFilter {
    private static final Logger log = LoggerFactory.getLogger(ReportFilter.class);
    private final LongAdder rejected = new LongAdder();

    /** The task ids of a frame ({@code kind}) that {@code c} may report on. */
    List<TaskId> owned(EndpointConnection c, String kind, List<TaskId> tasks) {
        return owned(c, kind, tasks, t -> t);
    }

    /** The results of a frame that {@code c} may report on, each within the size limit. */
    List<TaskResult> results(EndpointConnection c, List<TaskResult> results) {
        return withinLimits(owned(c, "results", results, TaskResult::task));
    }

    /** The output chunks of a frame that {@code c} may report on. */
    List<OutputChunk> output(EndpointConnection c, List<OutputChunk> chunks) {
        return owned(c, "output", chunks, OutputChunk::task);
    }

    private <T> List<T> owned(EndpointConnection c, String kind, List<T> items, Function<T, TaskId> task) {
        List<T> out = items.stream().filter(i -> c.owns(task.apply(i))).toList();
        if (out.size() != items.size()) {
            rejected.add(items.size() - out.size());
            if (c.firstRejection()) {
                TaskId example = items.stream()
                        .map(task)
                        .filter(t -> !c.owns(t))
                        .findFirst()
                        .orElseThrow();
                log.warn(
                        "endpoint {} sent {} about {} tasks that were not dispatched to it (such as {}); ignored, and"
                                + " not logged again for this channel",
                        c.endpoint(),
                        kind,
                        items.size() - out.size(),
                        example);
            }
        }
        return out;
    }

    /** How many task reports were ignored because their sender may not report on those tasks. */
    long rejected() {
        return rejected.sum();
    }

    /**
     * The service's own check of result sizes: an endpoint that skips the worker's check still cannot store
     * more than the limit; such a result becomes a failure with {@code MAX_RESULT_SIZE_EXCEEDED}.
     */
    static List<TaskResult> withinLimits(List<TaskResult> results) {
        List<TaskResult> out = new ArrayList<>(results.size());
        for (TaskResult r : results) {
            if (r.data() != null && r.data().length() > Limits.MAX_RESULT_CHARS) {
                String why = "the endpoint sent a result of " + r.data().length() + " characters; the limit is "
                        + Limits.MAX_RESULT_CHARS;
                log.warn("task {}: {}", r.task(), why);
                out.add(new TaskResult(
                        r.task(),
                        r.attempt(),
                        why,
                        new TaskResult.Failure(FailureCode.MAX_RESULT_SIZE_EXCEEDED, why, null),
                        r.startedAtMs(),
                        r.completedAtMs()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
