package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecentTasksTest {
    @Test
    void keepsTheNewestAndForgetsTheOldestFirst() {
        RecentTasks recent = new RecentTasks(2);
        TaskId a = TaskId.random();
        TaskId b = TaskId.random();
        TaskId c = TaskId.random();
        assertThat(recent.isEmpty()).isTrue();
        recent.addAll(List.of(a, b, c));
        assertThat(recent.contains(a)).isFalse();
        assertThat(recent.contains(b)).isTrue();
        assertThat(recent.remove(c)).isTrue();
        assertThat(recent.remove(c)).isFalse();
    }
}
