package dev.gantry.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.payload.JavaNative;
import dev.gantry.protocol.payload.Serialized;
import dev.gantry.protocol.payload.Strategy;
import dev.gantry.sdk.TaskExecutionFailed;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/** Completes a future from a task's final status: the decoded result, or the remote failure. */
public final class Results {
    private Results() {}

    public static <T> void complete(CompletableFuture<T> future, TaskStatus s, Class<T> type) {
        complete(future, s, type, false);
    }

    /** As above; with {@code javaNative}, a result in Java native serialization is decoded too. */
    public static <T> void complete(CompletableFuture<T> future, TaskStatus s, Class<T> type, boolean javaNative) {
        TaskState state = TaskState.fromWire(s.status());
        switch (state) {
            case SUCCESS -> {
                try {
                    future.complete(decode(s.result(), type, javaNative));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
            case CANCELLED ->
                future.completeExceptionally(new CancellationException("task " + s.taskId() + " was cancelled"));
            case FAILED, EXPIRED ->
                future.completeExceptionally(new TaskExecutionFailed(
                        s.taskId(),
                        s.errorCode() == null ? FailureCode.COULD_NOT_EXECUTE_TASK : s.errorCode(),
                        s.exceptionType(),
                        s.exception()));
            default -> {}
        }
    }

    public static <T> T decode(String buffer, Class<T> type, boolean javaNative) {
        Serialized s = Serialized.parse(buffer);
        if (s.strategy() == Strategy.JAVA_NATIVE && javaNative) {
            return nativeValue(s.body(), box(type));
        }
        if (s.strategy() != Strategy.JSON) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "results in strategy '" + s.strategy().id() + "' cannot be read by the Java SDK");
        }
        try {
            JsonNode node = Json.mapper().readTree(s.body());
            return Json.mapper()
                    .treeToValue(node, Json.mapper().getTypeFactory().constructType(box(type)));
        } catch (Exception e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "cannot decode the result as " + type.getName() + ": " + e.getMessage());
        }
    }

    private static <T> T nativeValue(String body, Class<T> type) {
        ClassLoader loader = type.getClassLoader() != null
                ? type.getClassLoader()
                : Thread.currentThread().getContextClassLoader();
        try {
            return type.cast(JavaNative.decode(body, loader != null ? loader : ClassLoader.getSystemClassLoader()));
        } catch (Exception e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "cannot decode the java_native result as " + type.getName() + ": " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> box(Class<T> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return (Class<T>) java.lang.invoke.MethodType.methodType(t).wrap().returnType();
    }
}
