package dev.gantry.endpoint;

import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results the service has not acknowledged yet, in memory and on disk (an owner-only directory of segment
 * files, a JSON line per result), so that an endpoint killed or restarted sends them again instead of
 * running their tasks again. A writer thread appends whatever has queued up in one write; a segment is
 * deleted once it is full and every result in it was acknowledged. Writes are not synced: the files survive
 * the process, not the machine (a lost result's task is run again through its lease).
 */
final class ResultOutbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);
    static final long SEGMENT_BYTES = 8L * 1024 * 1024;

    private final class Segment {
        final Path file;
        final Set<TaskId> live = new HashSet<>();
        long bytes;
        boolean full;

        Segment(Path file) {
            this.file = file;
        }
    }

    private final Path dir;
    private final Map<TaskId, TaskResult> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<TaskResult> toWrite = new LinkedBlockingQueue<>();
    private final Map<TaskId, Segment> where = new HashMap<>();
    private final Object lock = new Object();
    private Segment current;
    private long nextSegment;
    private final Thread writer;
    private volatile boolean open = true;

    /** Opens the outbox in {@code dir}, loading what an earlier process left unacknowledged. */
    ResultOutbox(Path dir) {
        this.dir = GantryHome.privateDir(dir);
        load();
        writer = Thread.ofPlatform().daemon().name("outbox-writer").start(this::writeLoop);
    }

    private void load() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList()) {
                Segment seg = new Segment(f);
                seg.full = true;
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        try {
                            TaskResult res = Json.read(line, TaskResult.class);
                            pending.put(res.task(), res);
                            where.put(res.task(), seg);
                            seg.live.add(res.task());
                        } catch (RuntimeException e) {
                            log.warn("outbox {}: skipped a torn line", f.getFileName());
                        }
                    }
                }
                nextSegment = Math.max(nextSegment, number(f) + 1);
                if (seg.live.isEmpty()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the result outbox " + dir, e);
        }
        if (!pending.isEmpty()) {
            log.info("outbox: {} results from an earlier run will be sent again", pending.size());
        }
    }

    private static long number(Path f) {
        String n = f.getFileName().toString().replace(".jsonl", "");
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void put(TaskResult r) {
        pending.put(r.task(), r);
        toWrite.add(r);
    }

    /**
     * Whether the outbox has a result that settles this attempt of the task: a success (of any attempt: the
     * first result wins), or a failure of this attempt or a later one.
     */
    boolean holds(TaskId task, int attempt) {
        TaskResult r = pending.get(task);
        return r != null && (!r.failed() || r.attempt() >= attempt);
    }

    Collection<TaskResult> values() {
        return pending.values();
    }

    Set<TaskId> tasks() {
        return pending.keySet();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    /** The service committed these: forget them, and delete segments that hold nothing else. */
    void ack(Collection<TaskId> tasks) {
        synchronized (lock) {
            for (TaskId t : tasks) {
                pending.remove(t);
                Segment seg = where.remove(t);
                if (seg != null) {
                    seg.live.remove(t);
                    dropIfDone(seg);
                }
            }
        }
    }

    private void dropIfDone(Segment seg) {
        if (seg.full && seg.live.isEmpty()) {
            try {
                Files.deleteIfExists(seg.file);
            } catch (IOException e) {
                log.warn("outbox: cannot delete {}: {}", seg.file, e.toString());
            }
        }
    }

    private void writeLoop() {
        List<TaskResult> batch = new ArrayList<>();
        while (open || !toWrite.isEmpty()) {
            try {
                TaskResult first = toWrite.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                toWrite.drainTo(batch, 10_000);
                append(batch);
            } catch (InterruptedException e) {
                if (!open) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("outbox: cannot write {} results ({}); they are kept in memory", batch.size(), e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void append(List<TaskResult> batch) throws IOException {
        StringBuilder text = new StringBuilder();
        List<TaskId> written = new ArrayList<>();
        for (TaskResult r : batch) {
            if (pending.containsKey(r.task())) {
                text.append(Json.write(r)).append('\n');
                written.add(r.task());
            }
        }
        if (written.isEmpty()) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Segment seg;
        synchronized (lock) {
            if (current == null || current.bytes > SEGMENT_BYTES) {
                if (current != null) {
                    current.full = true;
                    dropIfDone(current);
                }
                current = new Segment(dir.resolve(String.format("%012d.jsonl", nextSegment++)));
            }
            seg = current;
        }
        try (OutputStream out = Files.newOutputStream(seg.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(bytes);
        }
        synchronized (lock) {
            seg.bytes += bytes.length;
            for (TaskId t : written) {
                if (pending.containsKey(t)) {
                    where.put(t, seg);
                    seg.live.add(t);
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
