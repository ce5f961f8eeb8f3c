package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * An endpoint's engine as it last reported itself; the {@code details} of an endpoint status. A pilot engine
 * also lists its blocks; an endpoint that takes no tasks although it could says why in {@code notTakingTasks}.
 */
public record StatusReport(
        int totalWorkers,
        int idleWorkers,
        int pendingTasks,
        int outstandingTasks,
        int managers,
        String engineType,
        List<BlockStatus> blocks,
        String notTakingTasks) {
    public StatusReport {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    public StatusReport(
            int totalWorkers,
            int idleWorkers,
            int pendingTasks,
            int outstandingTasks,
            int managers,
            String engineType,
            List<BlockStatus> blocks) {
        this(totalWorkers, idleWorkers, pendingTasks, outstandingTasks, managers, engineType, blocks, null);
    }

    /** This report, saying why the endpoint takes no tasks. */
    public StatusReport notTakingTasks(String why) {
        return new StatusReport(
                totalWorkers, idleWorkers, pendingTasks, outstandingTasks, managers, engineType, blocks, why);
    }

    public StatusReport(
            int totalWorkers,
            int idleWorkers,
            int pendingTasks,
            int outstandingTasks,
            int managers,
            String engineType) {
        this(totalWorkers, idleWorkers, pendingTasks, outstandingTasks, managers, engineType, List.of(), null);
    }

    /** A pilot block: its name, the scheduler's id of its job ({@code JobId}), and its state as last seen. */
    public record BlockStatus(String block, String jobId, String state) {
        /** A block as endpoints before this record reported it, {@code block:job:state}. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static BlockStatus of(String text) {
            String[] f = text.split(":", 3);
            return new BlockStatus(f[0], f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
        }
    }
}
