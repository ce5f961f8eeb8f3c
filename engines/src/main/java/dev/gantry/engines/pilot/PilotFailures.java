package dev.gantry.engines.pilot;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.channel.TaskResult;

/**
 * How the pilot engine fails the tasks it cannot finish: those of a lost manager ({@code BLOCK_ENDED} if its
 * block's job ended, else {@code WORKER_LOST}; both retried by the service) and those queued when the
 * scheduler refuses every block ({@code PROVIDER_ERROR}). Pure.
 */
final class PilotFailures {
    private PilotFailures() {}

    /** Why a manager's tasks failed: the code, the reason told to their submitters, and the exception type. */
    record Loss(FailureCode code, String reason, String type) {}

    /**
     * The loss of the manager of {@code block}: {@code why} it was lost, and, if its block ended, what its
     * manager said on the way out ({@code ending}, or null) or that the scheduler says the job ended.
     */
    static Loss managerLost(String block, String why, String ending, boolean jobEnded) {
        if (ending != null || jobEnded) {
            return new Loss(
                    FailureCode.BLOCK_ENDED,
                    "block " + block + " ended"
                            + (ending != null ? " (" + ending + ")" : " (its batch job is no longer running)"),
                    "BlockEnded");
        }
        return new Loss(FailureCode.WORKER_LOST, "the manager of block " + block + " was lost: " + why, "WorkerLost");
    }

    /** The queued tasks' failure when they have nowhere to run. */
    static Loss nowhereToRun(FailureCode code, String why) {
        return new Loss(code, why, code == FailureCode.PROVIDER_ERROR ? "ProviderError" : "BlockEnded");
    }

    static TaskResult failed(PilotTask t, Loss loss, long nowMs) {
        return new TaskResult(
                t.task().task(),
                t.task().attempt(),
                loss.reason(),
                new TaskResult.Failure(loss.code(), loss.reason(), loss.type()),
                nowMs,
                nowMs);
    }
}
