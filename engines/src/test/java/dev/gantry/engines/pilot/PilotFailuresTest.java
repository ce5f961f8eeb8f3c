package dev.gantry.engines.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FailureCode;
import org.junit.jupiter.api.Test;

class PilotFailuresTest {
    @Test
    void aManagerWhoseBlockEndedFailsItsTasksWithBlockEndedAndOneLostOtherwiseWithWorkerLost() {
        assertThat(PilotFailures.managerLost("block-1", "its connection failed", "SIGTERM from the scheduler", false))
                .satisfies(l -> {
                    assertThat(l.code()).isEqualTo(FailureCode.BLOCK_ENDED);
                    assertThat(l.reason()).isEqualTo("block block-1 ended (SIGTERM from the scheduler)");
                    assertThat(l.type()).isEqualTo("BlockEnded");
                });
        assertThat(PilotFailures.managerLost("block-2", "x", null, true).reason())
                .isEqualTo("block block-2 ended (its batch job is no longer running)");
        assertThat(PilotFailures.managerLost("block-3", "no heartbeat for 9000 ms", null, false))
                .satisfies(l -> {
                    assertThat(l.code()).isEqualTo(FailureCode.WORKER_LOST);
                    assertThat(l.code().retryable()).isTrue();
                    assertThat(l.reason()).isEqualTo("the manager of block block-3 was lost: no heartbeat for 9000 ms");
                });
        assertThat(PilotFailures.nowhereToRun(FailureCode.PROVIDER_ERROR, "sbatch refused")
                        .type())
                .isEqualTo("ProviderError");
    }
}
