package dev.gantry.engines.provider;

import java.util.List;
import java.util.Map;

/**
 * Gets blocks from a resource manager and gives them back: three verbs over a {@link CommandRunner} (or an
 * API, for Kubernetes). A block is one job of {@code nodes} nodes whose script runs the launcher's command.
 */
public interface Provider {

    /** The provider's name in the configuration: {@code local}, {@code slurm}, {@code pbspro}, {@code kubernetes}. */
    String type();

    /** Submits a block; returns the scheduler's job id. */
    String submit(BlockJob job) throws ProviderException;

    /**
     * The state of each job; a job the scheduler no longer lists has ended ({@link JobState#COMPLETED} unless
     * its scheduler says otherwise).
     */
    Map<String, JobStatus> status(List<String> jobIds) throws ProviderException;

    void cancel(List<String> jobIds) throws ProviderException;
}
