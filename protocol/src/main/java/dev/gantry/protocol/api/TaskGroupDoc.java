package dev.gantry.protocol.api;

import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.List;

/** Reply of {@code GET /v2/taskgroup/{id}}. */
public record TaskGroupDoc(TaskGroupId taskgroupId, boolean createWebsocketsQueue, List<Member> tasks) {
    public record Member(TaskId id, double createdAt) {}
}
