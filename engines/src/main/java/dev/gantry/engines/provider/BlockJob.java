package dev.gantry.engines.provider;

import java.nio.file.Path;
import java.util.Map;

/**
 * One block to submit: its name ({@code gantry-<label>-<block>}), the command each node runs (already
 * wrapped by the launcher), how many nodes, where its script and output files go, and secrets for providers
 * whose nodes do not share the endpoint's file system (Kubernetes puts them in a Secret).
 */
public record BlockJob(String name, String command, int nodes, Path dir, Map<String, String> secrets) {
    public BlockJob {
        secrets = Map.copyOf(secrets);
    }

    public BlockJob(String name, String command, int nodes, Path dir) {
        this(name, command, nodes, dir, Map.of());
    }
}
