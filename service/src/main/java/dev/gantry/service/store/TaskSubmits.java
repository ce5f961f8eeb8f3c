package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.SubmitResponse;
import dev.gantry.protocol.channel.TaskMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Stores submits: a batch of tasks in one transaction, with its idempotency key. */
public final class TaskSubmits {
    private final Database db;
    private final Clock clock;

    public TaskSubmits(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * The submitted tasks, as queued for their endpoint, in request order; or, for a request whose idempotency
     * key was seen before, the first request's reply ({@code replay}), and no tasks.
     */
    public record Submitted(TaskGroupId group, List<TaskMessage> tasks, SubmitResponse replay) {}

    /**
     * Stores a batch atomically: all its tasks (and a new task group if none was named) and its idempotency
     * key with {@code reply}'s answer, or nothing. A key already stored returns the stored answer if the request
     * is the same, and fails with {@code IDEMPOTENCY_KEY_REUSED} if it is not.
     */
    public Submitted submit(
            Identity owner,
            EndpointId endpoint,
            NewBatch batch,
            java.util.function.Function<Submitted, SubmitResponse> reply) {
        return db.durableTx(c -> {
            if (batch.idempotencyKey() != null) {
                SubmitResponse earlier = claimKey(c, owner, batch);
                if (earlier != null) {
                    return new Submitted(earlier.taskGroupId(), List.of(), earlier);
                }
            }
            long now = clock.millis();
            TaskGroupId group = batch.group() == null
                    ? TaskStore.createGroup(c, owner, now)
                    : TaskStore.requireGroup(c, owner, batch.group());
            String resourcesJson = batch.resources() == null ? null : Json.write(batch.resources());
            String serializers = Rows.joined(batch.resultSerializers());
            List<TaskMessage> out = new ArrayList<>(batch.tasks().size());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, group_id, endpoint_id,"
                    + " function_id, owner_id, state, attempt, payload, created_at, resources, max_retries,"
                    + " retry_user_errors, result_serializers) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)")) {
                for (NewTask t : batch.tasks()) {
                    TaskId id = TaskId.random();
                    ps.setObject(1, id.value());
                    ps.setObject(2, group.value());
                    ps.setObject(3, endpoint.value());
                    ps.setObject(4, t.function().value());
                    ps.setObject(5, owner.id());
                    ps.setString(6, TaskState.WAITING_FOR_EP.wire());
                    ps.setString(7, t.payload());
                    ps.setLong(8, now);
                    ps.setString(9, resourcesJson);
                    if (batch.maxRetries() == null) {
                        ps.setNull(10, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(10, batch.maxRetries());
                    }
                    ps.setBoolean(11, batch.retryUserErrors());
                    ps.setString(12, serializers);
                    ps.addBatch();
                    out.add(new TaskMessage(
                            id, group, 1, t.function(), t.payload(), batch.resources(), batch.resultSerializers()));
                }
                ps.executeBatch();
            }
            Submitted done = new Submitted(group, out, null);
            if (batch.idempotencyKey() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE submit_keys SET response = ?" + " WHERE owner_id = ? AND idempotency_key = ?")) {
                    ps.setString(1, Json.write(reply.apply(done)));
                    ps.setObject(2, owner.id());
                    ps.setString(3, batch.idempotencyKey());
                    ps.executeUpdate();
                }
            }
            return done;
        });
    }

    /**
     * Takes the batch's idempotency key for this request, or returns the reply stored with it. A concurrent
     * request with the same key waits on the key's row until the first one commits or rolls back.
     */
    private SubmitResponse claimKey(Connection c, Identity owner, NewBatch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO submit_keys (owner_id, idempotency_key,"
                + " request_hash, response, created_at) VALUES (?, ?, ?, '', ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, owner.id());
            ps.setString(2, batch.idempotencyKey());
            ps.setString(3, batch.requestHash());
            ps.setLong(4, clock.millis());
            if (ps.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, response FROM submit_keys" + " WHERE owner_id = ? AND idempotency_key = ?")) {
            ps.setObject(1, owner.id());
            ps.setString(2, batch.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()
                        || !rs.getString(1).equals(batch.requestHash())
                        || rs.getString(2).isEmpty()) {
                    throw new GantryException(
                            ApiError.IDEMPOTENCY_KEY_REUSED,
                            "idempotency key " + batch.idempotencyKey() + " was used before for a different request");
                }
                return Json.read(rs.getString(2), SubmitResponse.class);
            }
        }
    }
}
