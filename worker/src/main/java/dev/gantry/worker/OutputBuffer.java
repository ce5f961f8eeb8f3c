package dev.gantry.worker;

import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one attempt of a task writes, from any of its threads and processes, until it is drained: a ring of the
 * newest {@link #CAPACITY} bytes (it grows from a few KiB as needed), so a task that prints faster than its output
 * is sent loses its oldest bytes, never memory; as much as the service keeps by default, so a task that ends while
 * printing fast still leaves a whole log. A drain takes a chunk of at most {@link Limits#MAX_OUTPUT_CHUNK_BYTES} and
 * cuts at a character boundary: a character split by the ring's start is dropped, one split by a chunk's end waits.
 */
public final class OutputBuffer {
    static final int CAPACITY = 1024 * 1024;
    private static final int FIRST_SIZE = 4096;
    private final TaskId task;
    private final int attempt;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] ring;
    private int head;
    private int size;
    /** Bytes written so far: the offset just past the newest byte. */
    private long written;

    private volatile boolean open = true;

    OutputBuffer(TaskId task, int attempt) {
        this.task = task;
        this.attempt = attempt;
    }

    TaskId task() {
        return task;
    }

    boolean isOpen() {
        return open;
    }

    void write(byte[] b, int off, int len) {
        lock.lock();
        try {
            written += len;
            if (len >= CAPACITY) {
                ring = ring != null && ring.length == CAPACITY ? ring : new byte[CAPACITY];
                System.arraycopy(b, off + len - CAPACITY, ring, 0, CAPACITY);
                head = 0;
                size = CAPACITY;
                return;
            }
            room(size + len);
            int cap = ring.length;
            int tail = (head + size) % cap;
            int first = Math.min(len, cap - tail);
            System.arraycopy(b, off, ring, tail, first);
            System.arraycopy(b, off + first, ring, 0, len - first);
            int overflow = size + len - cap;
            if (overflow > 0) {
                head = (head + overflow) % cap;
                size = cap;
            } else {
                size += len;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code n} bytes written that will not be read: what waits is older still, and goes too; the next chunk shows the gap. */
    void skipped(long n) {
        lock.lock();
        try {
            written += n;
            head = 0;
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Grows the ring towards {@code needed} bytes, up to {@link #CAPACITY}, keeping what it holds in order. */
    private void room(int needed) {
        int cap = ring == null ? 0 : ring.length;
        if (needed <= cap || cap == CAPACITY) {
            return;
        }
        int grown = Math.max(FIRST_SIZE, cap);
        while (grown < needed && grown < CAPACITY) {
            grown *= 2;
        }
        byte[] bigger = new byte[Math.min(grown, CAPACITY)];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % cap];
        }
        ring = bigger;
        head = 0;
    }

    /** Writes nothing more; a drain after this also gives a character the output ended in the middle of. */
    void close() {
        open = false;
    }

    /** The oldest chunk of what was written since the last drain (the newest part of it, if more), or null. */
    OutputChunk drain() {
        lock.lock();
        try {
            int n = Math.min(size, Limits.MAX_OUTPUT_CHUNK_BYTES);
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = ring[(head + i) % ring.length];
            }
            long offset = written - size;
            int from = 0;
            while (from < Math.min(3, n) && (bytes[from] & 0xC0) == 0x80) {
                from++; // only after a drop: chunks end at character boundaries
            }
            int to = open || n < size ? completeUpTo(bytes) : n;
            if (to <= from) {
                return null;
            }
            head = (head + to) % ring.length;
            size -= to;
            return new OutputChunk(task, attempt, offset + from, to - from, decode(bytes, from, to));
        } finally {
            lock.unlock();
        }
    }
    /** The length of {@code b} without a last character that is not complete yet. */
    static int completeUpTo(byte[] b) {
        for (int i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
            int lead = b[i] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue;
            }
            int need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return i + need > b.length ? i : b.length;
        }
        return b.length;
    }

    private static String decode(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        }
    }
}
