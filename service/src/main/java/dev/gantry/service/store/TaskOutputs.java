package dev.gantry.service.store;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What tasks wrote, kept bounded: the chunks of each task's latest attempt, of which the newest {@code keptBytes}
 * are read back. A batch of chunks is one transaction: one batched insert of the chunks that stay within their task's
 * bound (a chunk stored already is ignored) and one delete per task of what fell out of it and of earlier attempts.
 */
public final class TaskOutputs {
    private static final Comparator<OutputChunk> NEWEST =
            Comparator.comparingInt(OutputChunk::attempt).thenComparingLong(OutputChunk::end);
    private final Database db;
    private final long keptBytes;

    /** What was read: from byte {@code offset} (past the asked one if the bytes between were dropped) to {@code next}. */
    public record Read(int attempt, long offset, long next, String text) {}

    public TaskOutputs(Database db, long keptBytes) {
        this.db = db;
        this.keptBytes = keptBytes;
    }

    public long keptBytes() {
        return keptBytes;
    }

    public void append(List<OutputChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        Map<TaskId, OutputChunk> newest = new LinkedHashMap<>();
        for (OutputChunk c : chunks) {
            newest.merge(c.task(), c, (a, b) -> NEWEST.compare(a, b) < 0 ? b : a);
        }
        db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO task_output (task_id, attempt, start_at, end_at,"
                            + " text) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (OutputChunk o : chunks) {
                    OutputChunk last = newest.get(o.task());
                    if (o.attempt() < last.attempt() || o.end() <= last.end() - keptBytes) {
                        continue; // the delete below would take it again
                    }
                    ps.setObject(1, o.task().value());
                    ps.setInt(2, o.attempt());
                    ps.setLong(3, o.offset());
                    ps.setLong(4, o.end());
                    ps.setString(5, o.text());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM task_output WHERE task_id = ? AND (attempt < ? OR end_at <= ?)")) {
                for (OutputChunk o : newest.values()) {
                    ps.setObject(1, o.task().value());
                    ps.setInt(2, o.attempt());
                    ps.setLong(3, o.end() - keptBytes);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * The newest part (about {@code perTask} bytes, whole chunks) of the kept output of each of {@code tasks}' latest
     * attempts, as chunks, each task's in order: one query.
     */
    public List<OutputChunk> tails(Collection<TaskId> tasks, long perTask) {
        if (tasks.isEmpty() || keptBytes == 0) {
            return List.of();
        }
        String in = String.join(", ", Collections.nCopies(tasks.size(), "?"));
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, attempt, start_at, end_at, text FROM"
                    + " (SELECT task_id, attempt, start_at, end_at, text,"
                    + " MAX(attempt) OVER (PARTITION BY task_id) AS last_attempt,"
                    + " MAX(end_at) OVER (PARTITION BY task_id, attempt) AS last_end"
                    + " FROM task_output WHERE task_id IN (" + in + ")) o"
                    + " WHERE attempt = last_attempt AND end_at > last_end - ? ORDER BY task_id, start_at")) {
                int i = 1;
                for (TaskId t : tasks) {
                    ps.setObject(i++, t.value());
                }
                ps.setLong(i, perTask);
                List<OutputChunk> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong("start_at");
                        out.add(new OutputChunk(
                                new TaskId(rs.getObject("task_id", UUID.class)),
                                rs.getInt("attempt"),
                                start,
                                rs.getLong("end_at") - start,
                                rs.getString("text")));
                    }
                }
                return out;
            }
        });
    }

    /** Up to about {@code maxBytes} of the kept output of {@code task}'s latest attempt, from byte {@code from}. */
    public Read read(TaskId task, long from, int maxBytes) {
        return db.tx(c -> {
            int attempt = latestAttempt(c, task);
            long kept = Math.max(from, keptEnd(c, task, attempt) - keptBytes);
            StringBuilder text = new StringBuilder();
            long offset = -1;
            long next = kept;
            try (PreparedStatement ps = c.prepareStatement("SELECT start_at, end_at, text FROM task_output"
                    + " WHERE task_id = ? AND attempt = ? AND end_at > ? ORDER BY start_at")) {
                ps.setObject(1, task.value());
                ps.setInt(2, attempt);
                ps.setLong(3, kept);
                try (ResultSet rs = ps.executeQuery()) {
                    for (long taken = 0; taken < maxBytes && rs.next(); taken = next - offset) {
                        long start = rs.getLong("start_at");
                        String part = rs.getString("text");
                        if (start < kept) {
                            part = withoutFirst(part, kept - start);
                            start = kept;
                        }
                        offset = offset < 0 ? start : offset;
                        text.append(part);
                        next = rs.getLong("end_at");
                    }
                }
            }
            return new Read(attempt, offset < 0 ? next : offset, next, text.toString());
        });
    }

    private static int latestAttempt(Connection c, TaskId task) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(attempt) FROM task_output WHERE task_id = ?")) {
            ps.setObject(1, task.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Math.max(rs.getInt(1), 1) : 1;
            }
        }
    }

    private static long keptEnd(Connection c, TaskId task, int attempt) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT MAX(end_at) FROM task_output WHERE task_id = ? AND attempt = ?")) {
            ps.setObject(1, task.value());
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** {@code text} without its first {@code bytes} bytes (UTF-8), and without a character they cut in two. */
    static String withoutFirst(String text, long bytes) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.min(bytes, b.length);
        while (from < b.length && (b[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }
}
