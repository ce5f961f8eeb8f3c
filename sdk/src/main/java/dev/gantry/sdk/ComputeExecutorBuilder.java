package dev.gantry.sdk;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import java.util.Map;

/** Options for a {@link ComputeExecutor}: {@code ComputeExecutor.builder().endpointId(id).build()}. */
public final class ComputeExecutorBuilder {
    Client client;
    EndpointId endpoint;
    TaskGroupId taskGroup;
    int batchSize = 128;
    boolean javaNative;
    boolean echoOutput;
    int maxInFlight = 1024;
    Integer maxRetries;
    boolean retryUserErrors;
    Map<String, ?> userEndpointConfig;
    boolean highAssurance;

    ComputeExecutorBuilder() {}

    public ComputeExecutorBuilder client(Client c) {
        this.client = c;
        return this;
    }

    public ComputeExecutorBuilder endpointId(EndpointId id) {
        this.endpoint = id;
        return this;
    }

    public ComputeExecutorBuilder endpointId(String id) {
        return endpointId(EndpointId.of(id));
    }

    /**
     * Prints what each task writes, as it runs, to this process's standard output, each line as
     * {@code [task id] text}. Off by default; {@link ComputeFuture#onOutput} gets one task's lines.
     */
    public ComputeExecutorBuilder echoOutput(boolean on) {
        this.echoOutput = on;
        return this;
    }

    /** The most tasks {@link ComputeExecutor#map} keeps outstanding at once (default 1024). */
    public ComputeExecutorBuilder maxInFlight(int n) {
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("max in flight must be 1..1000000, got " + n);
        }
        this.maxInFlight = n;
        return this;
    }

    /** Adds the tasks to an existing task group of the caller's. */
    public ComputeExecutorBuilder taskGroupId(TaskGroupId id) {
        this.taskGroup = id;
        return this;
    }

    /**
     * Sends Java functions' arguments, and reads their results, in Java native serialization instead of
     * JSON: for values Jackson cannot carry. Off by default; only endpoints whose {@code allowed_serializers}
     * list {@code java_native} accept such tasks (others fail them with {@code SERIALIZER_NOT_ALLOWED}
     * before decoding). Use it only with endpoints and functions you trust.
     */
    public ComputeExecutorBuilder javaSerialization(boolean on) {
        this.javaNative = on;
        return this;
    }

    /**
     * How often a task is run again after a system failure (its worker or endpoint was lost); by default
     * the endpoint's {@code max_retries_on_system_failure}. Every attempt is in the task's history.
     */
    public ComputeExecutorBuilder maxRetries(int n) {
        if (n < 0 || n > 100) {
            throw new IllegalArgumentException("max retries must be 0..100, got " + n);
        }
        this.maxRetries = n;
        return this;
    }

    /** Retries tasks whose function raised too (within {@link #maxRetries}); off by default. */
    public ComputeExecutorBuilder retryUserErrors(boolean on) {
        this.retryUserErrors = on;
        return this;
    }

    /**
     * Values for a multi-user endpoint's template ({@code user_endpoint_config}): the endpoint starts a user
     * endpoint for you per distinct set of values (and per runtime). Ignored by other endpoints.
     */
    public ComputeExecutorBuilder userEndpointConfig(Map<String, ?> values) {
        this.userEndpointConfig = values == null ? null : Map.copyOf(values);
        return this;
    }

    /**
     * For a high-assurance endpoint: the Java functions this executor registers are pinned to it
     * ({@code ha_endpoint_id}), the only functions such an endpoint runs. Off by default.
     */
    public ComputeExecutorBuilder highAssurance(boolean on) {
        this.highAssurance = on;
        return this;
    }

    /** The most tasks sent in one request (default 128). */
    public ComputeExecutorBuilder batchSize(int n) {
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("batch size must be 1..10000, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    public ComputeExecutor build() {
        return new ComputeExecutor(this);
    }
}
