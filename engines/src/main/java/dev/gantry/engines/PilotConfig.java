package dev.gantry.engines;

import dev.gantry.engines.pilot.ScalingStrategy;

/**
 * The pilot engine's {@code engine} block (Globus Compute's {@code GlobusComputeEngine} keys): workers per
 * node, the interchange's heartbeat, and the blocks' scaling; {@code provider} gets the blocks. Times are in
 * seconds. {@code working_dir}: where tasks run on the nodes (relative to the endpoint's directory; by default
 * the endpoint's task directory).
 */
public record PilotConfig(
        Integer maxWorkersPerNode,
        Double coresPerWorker,
        Double memPerWorker,
        Integer prefetchCapacity,
        Double heartbeatPeriod,
        Double heartbeatThreshold,
        Integer maxRetriesOnSystemFailure,
        Integer initBlocks,
        Integer minBlocks,
        Integer maxBlocks,
        Integer nodesPerBlock,
        Double parallelism,
        Double maxIdletime,
        Double strategyPeriod,
        String address,
        String workingDir,
        ProviderConfig provider)
        implements EngineConfig {
    public PilotConfig {
        maxWorkersPerNode = maxWorkersPerNode == null ? 0 : maxWorkersPerNode;
        if (maxWorkersPerNode < 0 || maxWorkersPerNode > 4096) {
            throw new IllegalArgumentException(
                    "engine.max_workers_per_node must be between 1 and 4096, got " + maxWorkersPerNode);
        }
        coresPerWorker = coresPerWorker == null ? 1.0 : coresPerWorker;
        memPerWorker = memPerWorker == null ? 0.0 : memPerWorker;
        if (coresPerWorker <= 0 || memPerWorker < 0) {
            throw new IllegalArgumentException(
                    "engine.cores_per_worker must be positive and mem_per_worker not negative");
        }
        prefetchCapacity = prefetchCapacity == null ? 0 : prefetchCapacity;
        if (prefetchCapacity < 0 || prefetchCapacity > 100_000) {
            throw new IllegalArgumentException(
                    "engine.prefetch_capacity must be between 0 and 100000, got " + prefetchCapacity);
        }
        heartbeatPeriod = heartbeatPeriod == null ? 30.0 : heartbeatPeriod;
        heartbeatThreshold = heartbeatThreshold == null ? 120.0 : heartbeatThreshold;
        if (heartbeatPeriod <= 0 || heartbeatThreshold < 2 * heartbeatPeriod) {
            throw new IllegalArgumentException("engine.heartbeat_threshold must be at least twice heartbeat_period");
        }
        if (maxRetriesOnSystemFailure != null && (maxRetriesOnSystemFailure < 0 || maxRetriesOnSystemFailure > 100)) {
            throw new IllegalArgumentException("engine.max_retries_on_system_failure must be between 0 and 100");
        }
        initBlocks = initBlocks == null ? 0 : initBlocks;
        minBlocks = minBlocks == null ? 0 : minBlocks;
        maxBlocks = maxBlocks == null ? 1 : maxBlocks;
        nodesPerBlock = nodesPerBlock == null ? 1 : nodesPerBlock;
        parallelism = parallelism == null ? 1.0 : parallelism;
        maxIdletime = maxIdletime == null ? 120.0 : maxIdletime;
        strategyPeriod = strategyPeriod == null ? 1.0 : strategyPeriod;
        if (initBlocks < 0 || initBlocks > maxBlocks) {
            throw new IllegalArgumentException(
                    "engine.init_blocks must be between 0 and max_blocks, got " + initBlocks);
        }
        if (strategyPeriod < 0.05) {
            throw new IllegalArgumentException("engine.strategy_period must be at least 0.05 s");
        }
        new ScalingStrategy.Limits(minBlocks, maxBlocks, nodesPerBlock, 1, parallelism, 0); // checks the scaling keys
        address = address == null ? "127.0.0.1" : address;
        if (workingDir != null && (workingDir.isBlank() || workingDir.contains("\n"))) {
            throw new IllegalArgumentException("engine.working_dir must be a path");
        }
        provider = provider == null ? new ProviderConfig.Local(null, null) : provider;
    }

    public ScalingStrategy.Limits limits() {
        return new ScalingStrategy.Limits(
                minBlocks,
                maxBlocks,
                nodesPerBlock,
                Math.max(1, maxWorkersPerNode),
                parallelism,
                Math.round(maxIdletime * 1000));
    }

    /** As many workers as the blocks can have at once (for the endpoint's credit). */
    @Override
    public int maxWorkers() {
        int perNode =
                maxWorkersPerNode > 0 ? maxWorkersPerNode : Runtime.getRuntime().availableProcessors();
        return Math.min(4096, perNode * nodesPerBlock * maxBlocks);
    }
}
