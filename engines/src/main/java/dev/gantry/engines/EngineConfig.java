package dev.gantry.engines;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The {@code engine} block of an endpoint's {@code config.yaml}; {@code type} names the variant. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EngineConfig.Thread.class, name = "thread"),
    @JsonSubTypes.Type(value = EngineConfig.Process.class, name = "process")
})
public sealed interface EngineConfig {

    int maxWorkers();

    /** Tasks run on threads of the endpoint's JVM. */
    record Thread(int maxWorkers) implements EngineConfig {
        public Thread {
            maxWorkers = checkWorkers(maxWorkers);
        }
    }

    /** Tasks run in worker JVMs on this host, one task at a time each. */
    record Process(int maxWorkers) implements EngineConfig {
        public Process {
            maxWorkers = checkWorkers(maxWorkers);
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
