package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheFirstWaitUpToTheCap() {
        Backoff b = new Backoff(500, 10_000, false);
        assertThat(b.delayMs(1, new SplittableRandom(1))).isEqualTo(500);
        assertThat(b.capMs(2)).isEqualTo(1_000);
        assertThat(b.capMs(5)).isEqualTo(8_000);
        assertThat(b.capMs(6)).isEqualTo(10_000);
        assertThat(b.capMs(Integer.MAX_VALUE)).isEqualTo(10_000);
        assertThat(b.capMs(0)).isEqualTo(500);
    }

    @Test
    void aJitteredWaitLiesBetweenHalfTheCapAndTheCap() {
        Backoff b = new Backoff(200, 10_000, true);
        SplittableRandom random = new SplittableRandom(7);
        for (int attempt = 1; attempt < 12; attempt++) {
            long cap = b.capMs(attempt);
            for (int i = 0; i < 50; i++) {
                assertThat(b.delayMs(attempt, random)).isBetween(cap / 2, cap);
            }
        }
    }

    @Test
    void refusesAWaitThatCannotGrow() {
        assertThatThrownBy(() -> new Backoff(0, 10, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(10, 5, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
