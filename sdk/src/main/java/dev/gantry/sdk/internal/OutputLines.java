package dev.gantry.sdk.internal;

import dev.gantry.protocol.channel.OutputChunk;
import java.util.function.Consumer;

/**
 * One task's output as lines: chunks in, each complete line out (without its line end), in order, once. A chunk
 * that starts past the end of the last one says the service or endpoint dropped the bytes between, and a line
 * says so; a new attempt's output starts with a line that says it.
 */
final class OutputLines {
    private final Consumer<String> sink;
    private final StringBuilder partial = new StringBuilder();
    private int attempt;
    private long next;

    OutputLines(Consumer<String> sink) {
        this.sink = sink;
    }

    synchronized void add(OutputChunk c) {
        if (c.attempt() < attempt || (c.attempt() == attempt && c.end() <= next)) {
            return;
        }
        if (c.attempt() > attempt) {
            if (attempt > 0) {
                end();
                sink.accept("[gantry: attempt " + c.attempt() + " of the task starts]");
            }
            attempt = c.attempt();
            next = 0;
        }
        if (c.offset() > next) {
            end();
            sink.accept("[gantry: " + (c.offset() - next) + " bytes of output dropped]");
        }
        next = c.end();
        partial.append(c.text());
        int from = 0;
        for (int nl; (nl = partial.indexOf("\n", from)) >= 0; from = nl + 1) {
            int to = nl > from && partial.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            sink.accept(partial.substring(from, to));
        }
        partial.delete(0, from);
    }

    /** The task ended: a last line without a line end is a line too. */
    synchronized void end() {
        if (!partial.isEmpty()) {
            sink.accept(partial.toString());
            partial.setLength(0);
        }
    }
}
