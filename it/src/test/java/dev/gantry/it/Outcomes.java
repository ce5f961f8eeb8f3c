package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.sdk.TaskExecutionFailed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** How the end-to-end tests wait for a task that must fail. */
final class Outcomes {
    private Outcomes() {}

    /** The remote failure of {@code f}, waiting up to a minute; an error if it succeeds or fails otherwise. */
    static TaskExecutionFailed failure(Future<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TaskExecutionFailed.class);
            return (TaskExecutionFailed) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the task succeeded");
    }
}
