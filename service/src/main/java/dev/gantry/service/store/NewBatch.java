package dev.gantry.service.store;

import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.ResourceSpec;
import java.util.List;

/**
 * One submit, checked and ready to store: its tasks, the group they join (null: a new one), what they share
 * (resources, result serializers, retry policy), and the idempotency key with the hash of the request it came with (or nulls).
 */
public record NewBatch(
        TaskGroupId group,
        List<NewTask> tasks,
        ResourceSpec resources,
        List<String> resultSerializers,
        Integer maxRetries,
        boolean retryUserErrors,
        String idempotencyKey,
        String requestHash) {}
