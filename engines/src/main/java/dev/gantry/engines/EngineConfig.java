package dev.gantry.engines;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The {@code engine} block of an endpoint's {@code config.yaml}; {@code type} names the variant. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EngineConfig.Thread.class, name = "thread"),
    @JsonSubTypes.Type(value = EngineConfig.Process.class, name = "process"),
    @JsonSubTypes.Type(value = PilotConfig.class, name = "pilot")
})
public sealed interface EngineConfig permits EngineConfig.Thread, EngineConfig.Process, PilotConfig {

    /** Retries of a task after a system failure (its worker or endpoint was lost), when the task sets none. */
    int DEFAULT_MAX_RETRIES = 2;

    int maxWorkers();

    /** {@code max_retries_on_system_failure}: null for {@link #DEFAULT_MAX_RETRIES}. */
    Integer maxRetriesOnSystemFailure();

    default int maxRetries() {
        Integer n = maxRetriesOnSystemFailure();
        return n == null ? DEFAULT_MAX_RETRIES : n;
    }

    /** Tasks run on threads of the endpoint's JVM. */
    record Thread(int maxWorkers, Integer maxRetriesOnSystemFailure) implements EngineConfig {
        public Thread {
            maxWorkers = checkWorkers(maxWorkers);
            checkRetries(maxRetriesOnSystemFailure);
        }

        public Thread(int maxWorkers) {
            this(maxWorkers, null);
        }
    }

    /** Tasks run in worker JVMs on this host, one task at a time each. */
    record Process(int maxWorkers, Integer maxRetriesOnSystemFailure) implements EngineConfig {
        public Process {
            maxWorkers = checkWorkers(maxWorkers);
            checkRetries(maxRetriesOnSystemFailure);
        }

        public Process(int maxWorkers) {
            this(maxWorkers, null);
        }
    }

    private static void checkRetries(Integer n) {
        if (n != null && (n < 0 || n > 100)) {
            throw new IllegalArgumentException(
                    "engine.max_retries_on_system_failure must be between 0 and 100, got " + n);
        }
    }

    private static int checkWorkers(int n) {
        if (n == 0) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (n < 0 || n > 4096) {
            throw new IllegalArgumentException("engine.max_workers must be between 1 and 4096, got " + n);
        }
        return n;
    }
}
