package dev.gantry.engines.provider;

import java.nio.file.Path;

/**
 * One block to submit: its name ({@code gantry-<label>-<block>}), the command each node runs (already
 * wrapped by the launcher), how many nodes, and where its script and output files go.
 */
public record BlockJob(String name, String command, int nodes, Path dir) {}
