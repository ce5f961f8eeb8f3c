package dev.gantry.protocol.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.TaskGroupId;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v3/endpoints/{id}/submit} (Globus Compute's BatchSubmitRequest): payloads grouped by
 * function id, in request order. Function ids are checked by the service, which owns the 404s. Gantry adds
 * {@code idempotency_key} (a retried request with the same key gets the first one's task ids and creates
 * nothing), and the tasks' retry policy: {@code max_retries} after system failures (null: the endpoint's) and
 * {@code retry_user_errors} (user exceptions retry too).
 */
public record SubmitRequest(
        TaskGroupId taskGroupId,
        boolean createQueue,
        Map<String, List<String>> tasks,
        JsonNode userEndpointConfig,
        JsonNode resourceSpecification,
        JsonNode userRuntime,
        List<String> resultSerializers,
        String idempotencyKey,
        Integer maxRetries,
        boolean retryUserErrors) {
    public static final int MAX_TASKS = 100_000;

    public SubmitRequest(
            TaskGroupId taskGroupId,
            boolean createQueue,
            Map<String, List<String>> tasks,
            JsonNode userEndpointConfig,
            JsonNode resourceSpecification,
            JsonNode userRuntime,
            List<String> resultSerializers) {
        this(
                taskGroupId,
                createQueue,
                tasks,
                userEndpointConfig,
                resourceSpecification,
                userRuntime,
                resultSerializers,
                null,
                null,
                false);
    }

    public SubmitRequest {
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw Check.invalid("idempotency_key is 1 to 128 letters, digits and . _ : -");
        }
        if (maxRetries != null && (maxRetries < 0 || maxRetries > 100)) {
            throw Check.invalid("max_retries must be between 0 and 100, got " + maxRetries);
        }
        objectOrNull("user_endpoint_config", userEndpointConfig);
        objectOrNull("resource_specification", resourceSpecification);
        objectOrNull("user_runtime", userRuntime);
        if (tasks == null || tasks.isEmpty()) {
            throw Check.invalid("tasks must name at least one function with at least one payload");
        }
        long count = 0;
        for (Map.Entry<String, List<String>> e : tasks.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw Check.invalid("tasks." + e.getKey() + " must hold at least one payload");
            }
            for (String payload : e.getValue()) {
                if (payload == null) {
                    throw Check.invalid("tasks." + e.getKey() + " holds a null payload");
                }
            }
            count += e.getValue().size();
        }
        if (count > MAX_TASKS) {
            throw Check.invalid("a batch holds at most " + MAX_TASKS + " tasks, this one " + count);
        }
    }

    private static void objectOrNull(String field, JsonNode value) {
        if (value != null && !value.isNull() && !value.isObject()) {
            throw Check.invalid(field + " must be an object, got "
                    + value.getNodeType().name().toLowerCase());
        }
    }

    /** The same request with an idempotency key and retry policy. */
    public SubmitRequest with(String key, Integer retries, boolean userErrors) {
        return new SubmitRequest(
                taskGroupId,
                createQueue,
                tasks,
                userEndpointConfig,
                resourceSpecification,
                userRuntime,
                resultSerializers,
                key,
                retries,
                userErrors);
    }

    /** The same request for a multi-user endpoint: the template values and the submitter's runtime. */
    public SubmitRequest forUser(JsonNode config, JsonNode runtime) {
        return new SubmitRequest(
                taskGroupId,
                createQueue,
                tasks,
                config,
                resourceSpecification,
                runtime,
                resultSerializers,
                idempotencyKey,
                maxRetries,
                retryUserErrors);
    }

    public int taskCount() {
        return tasks.values().stream().mapToInt(List::size).sum();
    }
}
