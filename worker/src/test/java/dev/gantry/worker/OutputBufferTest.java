package dev.gantry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutputBufferTest {
    final OutputBuffer buf = new OutputBuffer(new TaskId(UUID.randomUUID()), 1);

    private void write(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        buf.write(b, 0, b.length);
    }

    private List<OutputChunk> drainAll() {
        List<OutputChunk> out = new ArrayList<>();
        for (OutputChunk c; (c = buf.drain()) != null; ) {
            out.add(c);
        }
        return out;
    }

    @Test
    void aDrainGivesWhatWasWrittenSinceTheLastOneWithItsOffsets() {
        assertThat(buf.drain()).isNull();
        write("one\n");
        write("two\n");
        OutputChunk first = buf.drain();
        assertThat(first.text()).isEqualTo("one\ntwo\n");
        assertThat(first.offset()).isZero();
        assertThat(first.length()).isEqualTo(8);
        write("three\n");
        OutputChunk second = buf.drain();
        assertThat(second.offset()).isEqualTo(8);
        assertThat(second.text()).isEqualTo("three\n");
        assertThat(buf.drain()).isNull();
    }

    @Test
    void aTaskThatWritesMoreThanTheRingHoldsLosesItsOldestBytesAndTheChunksSaySo() {
        String line = "x".repeat(99) + "\n";
        int lines = OutputBuffer.CAPACITY / 100 * 3;
        for (int i = 0; i < lines; i++) {
            write(line);
        }
        List<OutputChunk> chunks = drainAll();
        long total = (long) lines * 100;
        assertThat(chunks.get(0).offset()).isEqualTo(total - OutputBuffer.CAPACITY);
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(total);
        assertThat(chunks).allMatch(c -> c.length() <= Limits.MAX_OUTPUT_CHUNK_BYTES);
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).offset()).isEqualTo(chunks.get(i - 1).end());
        }
    }

    @Test
    void skippedBytesAreAGapBeforeWhatFollows() {
        write("old\n");
        buf.skipped(100);
        write("new\n");
        OutputChunk c = buf.drain();
        assertThat(c.offset()).isEqualTo(104);
        assertThat(c.text()).isEqualTo("new\n");
    }

    @Test
    void aCharacterIsNeverCutInTwo() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        buf.write(e, 0, 1);
        assertThat(buf.drain()).as("half a character waits").isNull();
        buf.write(e, 1, 1);
        assertThat(buf.drain().text()).isEqualTo("é");
        buf.write(e, 0, 1);
        buf.close();
        assertThat(buf.drain().text()).as("the output ended in a character").isEqualTo("\uFFFD");
    }

    @Test
    void whatEachTaskThreadPrintsGoesToItsOwnTaskAndOtherThreadsPrintAsBefore() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream elsewhere = new ByteArrayOutputStream();
        System.setOut(new PrintStream(elsewhere, true, StandardCharsets.UTF_8));
        try {
            TaskStreams.install();
            OutputBuffer a = new OutputBuffer(new TaskId(UUID.randomUUID()), 1);
            OutputBuffer b = new OutputBuffer(new TaskId(UUID.randomUUID()), 1);
            Thread ta = Thread.ofPlatform().start(() -> print(a, "a"));
            Thread tb = Thread.ofPlatform().start(() -> print(b, "b"));
            ta.join();
            tb.join();
            System.out.println("not a task");
            assertThat(text(a)).isEqualTo("a\n".repeat(500) + "a child\n");
            assertThat(text(b)).isEqualTo("b\n".repeat(500) + "b child\n");
            assertThat(elsewhere.toString(StandardCharsets.UTF_8)).isEqualTo("not a task\n");
        } finally {
            System.setOut(original);
        }
    }

    private static void print(OutputBuffer to, String what) {
        TaskStreams.bind(to);
        for (int i = 0; i < 500; i++) {
            System.out.println(what);
        }
        Thread child = Thread.ofPlatform().start(() -> System.out.println(what + " child"));
        try {
            child.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        TaskStreams.bind(null);
    }

    private static String text(OutputBuffer b) {
        StringBuilder s = new StringBuilder();
        for (OutputChunk c; (c = b.drain()) != null; ) {
            s.append(c.text());
        }
        return s.toString();
    }
}
