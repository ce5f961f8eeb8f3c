package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleWatchTest {
    @Test
    void stopsAfterTheSoftLimitWhenNothingIsOutstanding() {
        IdleWatch w = new IdleWatch(3, 10);
        assertThat(w.beat(0, 0)).isFalse(); // the first beat sees the counter
        assertThat(w.beat(0, 0)).isFalse();
        assertThat(w.beat(0, 0)).isFalse();
        assertThat(w.beat(0, 0)).isTrue();
    }

    @Test
    void activityStartsTheCountAgain() {
        IdleWatch w = new IdleWatch(2, 10);
        w.beat(0, 0);
        w.beat(0, 0);
        assertThat(w.beat(5, 0)).isFalse();
        assertThat(w.beat(5, 0)).isFalse();
        assertThat(w.beat(5, 0)).isTrue();
    }

    @Test
    void outstandingTasksHoldItUntilTheHardLimit() {
        IdleWatch w = new IdleWatch(2, 5);
        w.beat(1, 3);
        for (int i = 1; i < 5; i++) {
            assertThat(w.beat(1, 3)).as("beat %d", i).isFalse();
        }
        assertThat(w.beat(1, 3)).isTrue();
    }

    @Test
    void aSoftLimitOfZeroNeverStops() {
        IdleWatch w = new IdleWatch(0, 5);
        for (int i = 0; i < 100; i++) {
            assertThat(w.beat(0, 0)).isFalse();
        }
        assertThat(w.still()).isEqualTo(99);
    }
}
