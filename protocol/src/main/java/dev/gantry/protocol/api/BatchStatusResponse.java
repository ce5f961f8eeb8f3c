package dev.gantry.protocol.api;

import java.util.Map;

/** Reply of {@code POST /v2/batch_status}; ids the caller may not see are left out. */
public record BatchStatusResponse(String response, Map<String, TaskStatus> results) {
    public BatchStatusResponse(Map<String, TaskStatus> results) {
        this("batch", results);
    }
}
