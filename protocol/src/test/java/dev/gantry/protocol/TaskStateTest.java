package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateTest {

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void terminalStatesLeadNowhereAndWireNamesRoundTrip(TaskState s) {
        assertThat(TaskState.fromWire(s.wire())).isEqualTo(s);
        if (s.isTerminal()) {
            for (TaskState next : TaskState.values()) {
                assertThat(s.canMoveTo(next)).as(s + " -> " + next).isFalse();
            }
        }
    }

    @Test
    void liveStatesMayEndAndMayGoBackToTheQueue() {
        assertThat(TaskState.WAITING_FOR_EP.canMoveTo(TaskState.SUCCESS)).isTrue();
        assertThat(TaskState.RUNNING.canMoveTo(TaskState.WAITING_FOR_EP)).isTrue();
        assertThat(TaskState.RUNNING.canMoveTo(TaskState.RECEIVED)).isFalse();
        assertThat(TaskState.RECEIVED.wire()).isEqualTo("received");
        assertThat(TaskState.WAITING_FOR_EP.wire()).isEqualTo("waiting-for-ep");
        assertThatThrownBy(() -> TaskState.fromWire("done")).isInstanceOf(GantryException.class);
    }
}
