package dev.gantry.endpoint;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.Strategy;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an endpoint refuses before it runs a task, reading headers only: a function its
 * {@code allowed_functions} does not list, code that did not arrive, code or arguments in a serialization its
 * {@code allowed_serializers} does not list (JSON arguments always pass). A function's verdict is kept.
 */
final class TaskChecks {
    /** Why a task is refused: the failure's code and message. */
    record Refusal(FailureCode code, String why) {
        /** The refused task's result, at {@code nowMs}. */
        TaskResult result(TaskMessage task, long nowMs) {
            return new TaskResult(
                    task.task(), task.attempt(), why, new TaskResult.Failure(code, why, null), nowMs, nowMs);
        }
    }

    private final Set<Strategy> allowed;
    private final Set<FunctionId> allowedFunctions;
    private final Supplier<EndpointId> endpoint;
    private final Map<FunctionId, Optional<String>> verdicts = new ConcurrentHashMap<>();

    /** {@code allowedFunctions} null: any function. */
    TaskChecks(Set<Strategy> allowed, Set<FunctionId> allowedFunctions, Supplier<EndpointId> endpoint) {
        this.allowed = allowed;
        this.allowedFunctions = allowedFunctions;
        this.endpoint = endpoint;
    }

    /** Why {@code task}, whose function's code is {@code fn} (null if it did not arrive), is refused; or none. */
    Optional<Refusal> check(TaskMessage task, FunctionDoc fn) {
        if (allowedFunctions != null && !allowedFunctions.contains(task.function())) {
            return refused(
                    FailureCode.FUNCTION_NOT_ALLOWED,
                    "function " + task.function() + " is not permitted on" + " endpoint " + endpoint.get()
                            + ": it is not in the endpoint's allowed_functions");
        }
        if (fn == null) {
            return refused(
                    FailureCode.COULD_NOT_EXECUTE_TASK, "the code of function " + task.function() + " did not arrive");
        }
        String why = verdicts.computeIfAbsent(fn.functionUuid(), k -> Optional.ofNullable(codeRefusal(fn)))
                .orElseGet(() -> dataRefusal(task.payload()));
        return why == null ? Optional.empty() : refused(FailureCode.SERIALIZER_NOT_ALLOWED, why);
    }

    private static Optional<Refusal> refused(FailureCode code, String why) {
        return Optional.of(new Refusal(code, why));
    }

    private String codeRefusal(FunctionDoc fn) {
        try {
            Strategy s = Strategy.of(Buffers.unpack(fn.functionCode()).get(0).substring(0, 2));
            return allowed.contains(s)
                    ? null
                    : "endpoint " + endpoint.get() + " does not run functions serialized as "
                            + SerializerAllowlist.describe(s) + "; its allowed_serializers are " + allowed;
        } catch (RuntimeException e) {
            return "the function's code is malformed: " + e.getMessage();
        }
    }

    private String dataRefusal(String payload) {
        try {
            Strategy s = Buffers.firstStrategy(payload);
            return s == Strategy.JSON || allowed.contains(s)
                    ? null
                    : "endpoint " + endpoint.get() + " does not decode"
                            + " arguments serialized as " + SerializerAllowlist.describe(s)
                            + "; its allowed_serializers are " + allowed;
        } catch (RuntimeException e) {
            return null; // malformed: the worker fails the task with COULD_NOT_EXECUTE_TASK and the reason
        }
    }
}
