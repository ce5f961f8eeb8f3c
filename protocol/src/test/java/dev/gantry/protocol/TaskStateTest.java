package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateTest {

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void endedStatesLeadOnlyToExpiryAndWireNamesRoundTrip(TaskState s) {
        assertThat(TaskState.fromWire(s.wire())).isEqualTo(s);
        if (s.isTerminal()) {
            for (TaskState next : TaskState.values()) {
                assertThat(s.canMoveTo(next)).as(s + " -> " + next).isEqualTo(next == TaskState.EXPIRED && s != next);
            }
        }
    }

    @Test
    void liveStatesMayEndAndMayGoBackToTheQueue() {
        assertThat(TaskState.WAITING_FOR_EP.canMoveTo(TaskState.SUCCESS)).isTrue();
        assertThat(TaskState.RUNNING.canMoveTo(TaskState.WAITING_FOR_EP)).isTrue();
        assertThat(TaskState.RUNNING.canMoveTo(TaskState.RECEIVED)).isFalse();
        assertThat(TaskState.RUNNING.canMoveTo(TaskState.WAITING_FOR_LAUNCH)).isFalse();
        assertThat(TaskState.RECEIVED.wire()).isEqualTo("received");
        assertThat(TaskState.WAITING_FOR_EP.wire()).isEqualTo("waiting-for-ep");
        assertThatThrownBy(() -> TaskState.fromWire("done")).isInstanceOf(GantryException.class);
    }

    @Test
    void sourcesAreTheStatesTheTableLetsMove() {
        assertThat(TaskState.sources(TaskState.RUNNING))
                .isEqualTo(EnumSet.of(
                        TaskState.WAITING_FOR_EP, TaskState.WAITING_FOR_NODES, TaskState.WAITING_FOR_LAUNCH));
        assertThat(TaskState.sources(TaskState.CANCELLED)).isEqualTo(TaskState.live());
        assertThat(TaskState.live())
                .doesNotContain(TaskState.SUCCESS, TaskState.EXPIRED)
                .contains(TaskState.RUNNING);
    }
}
