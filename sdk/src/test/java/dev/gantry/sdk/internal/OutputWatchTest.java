package dev.gantry.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of a task's output from the stream's chunks, and when its watch ends. */
class OutputWatchTest {
    final OutputWatch watch = new OutputWatch();
    final TaskId task = TaskId.random();
    final List<String> lines = new ArrayList<>();

    OutputChunk chunk(long offset, String text) {
        return new OutputChunk(task, 1, offset, text.length(), text);
    }

    @Test
    void linesComeInOrderWithAGapSaidAndTheLastPartialLineAtTheEnd() {
        watch.watch(task, lines::add);
        watch.add(List.of(chunk(0, "one\ntw"), chunk(6, "o\r\n")));
        watch.add(List.of(chunk(6, "o\r\n"), chunk(20, "last")));
        watch.ended(task);
        watch.add(List.of(chunk(24, "\nafter the end\n")));
        assertThat(lines).containsExactly("one", "two", "[gantry: 11 bytes of output dropped]", "last");
    }

    @Test
    void aResultLookedUpLeavesTheWatchOpenForOutputStillOnTheStreamUntilTheStreamsResultOrALinger() {
        watch.watch(task, lines::add);
        watch.add(List.of(chunk(0, "early\n")));
        watch.endedByLookup(task, 1_000);
        watch.add(List.of(chunk(6, "still streaming\n")));
        watch.expire(1_000 + OutputWatch.LINGER_MS - 1);
        watch.add(List.of(chunk(22, "done")));
        watch.ended(task);
        assertThat(lines).containsExactly("early", "still streaming", "done");

        TaskId quiet = TaskId.random();
        List<String> none = new ArrayList<>();
        watch.watch(quiet, none::add);
        watch.add(List.of(new OutputChunk(quiet, 1, 0, 4, "half")));
        watch.endedByLookup(quiet, 1_000);
        watch.expire(1_000 + OutputWatch.LINGER_MS);
        watch.add(List.of(new OutputChunk(quiet, 1, 4, 6, " more\n")));
        assertThat(none)
                .as("the stream's result never came: the watch ended after the linger")
                .containsExactly("half");
    }
}
