package dev.gantry.protocol.api;

import java.util.List;

/**
 * An endpoint's engine as it last reported itself; the {@code details} of an endpoint status. A pilot engine
 * also lists its blocks, each as {@code block:job:state}.
 */
public record StatusReport(int totalWorkers, int idleWorkers, int pendingTasks, int outstandingTasks, int managers,
        String engineType, List<String> blocks) {
    public StatusReport {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    public StatusReport(int totalWorkers, int idleWorkers, int pendingTasks, int outstandingTasks, int managers,
            String engineType) {
        this(totalWorkers, idleWorkers, pendingTasks, outstandingTasks, managers, engineType, List.of());
    }
}
