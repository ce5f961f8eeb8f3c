package dev.gantry.endpoint;

import dev.gantry.protocol.Limits;
import dev.gantry.protocol.channel.OutputChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What running tasks wrote, on its way to the service: at most {@link #MAX_BYTES} of text wait (a channel that is
 * down or slow drops the oldest chunks, which become gaps in their tasks' logs), and a frame takes at most
 * {@link #FRAME_BYTES}, so output never crowds out results on the channel.
 */
public final class OutputQueue {
    static final long MAX_BYTES = 8L * 1024 * 1024;
    static final long FRAME_BYTES = 1024 * 1024;
    private final ConcurrentLinkedQueue<OutputChunk> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    void addAll(List<OutputChunk> more) {
        for (OutputChunk c : more) {
            chunks.add(c);
            bytes.addAndGet(c.length());
        }
        while (bytes.get() > MAX_BYTES) {
            OutputChunk old = chunks.poll();
            if (old == null) {
                break;
            }
            bytes.addAndGet(-old.length());
            dropped.incrementAndGet();
        }
    }

    /** The next frame's chunks, oldest first; empty if none wait. */
    List<OutputChunk> nextFrame() {
        List<OutputChunk> out = new ArrayList<>();
        long size = 0;
        for (OutputChunk c;
                out.size() < Limits.MAX_FRAME_CHUNKS && size < FRAME_BYTES && (c = chunks.poll()) != null; ) {
            bytes.addAndGet(-c.length());
            size += c.length();
            out.add(c);
        }
        return out;
    }

    /** Chunks dropped because too many waited. */
    long dropped() {
        return dropped.get();
    }
}
