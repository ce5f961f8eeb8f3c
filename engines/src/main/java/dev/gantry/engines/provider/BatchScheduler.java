package dev.gantry.engines.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The three verbs of a batch scheduler driven by its commands: the block's script is written next to its
 * output, submitted, followed and cancelled through a {@link CommandRunner}. Each scheduler gives its script,
 * argv and parsers (pure functions, golden-tested).
 */
abstract class BatchScheduler implements Provider {
    private final CommandRunner runner;
    private final BatchOptions batch;

    BatchScheduler(CommandRunner runner, BatchOptions batch) {
        this.runner = runner;
        this.batch = batch;
    }

    abstract String script(BlockJob job);

    abstract List<String> submitArgv(Path script);

    abstract String parseSubmit(String stdout) throws ProviderException;

    abstract List<String> statusArgv(List<String> jobIds);

    abstract Map<String, JobStatus> parseStatus(String stdout, List<String> jobIds) throws ProviderException;

    abstract List<String> cancelArgv(List<String> jobIds);

    /** Runs a scheduler command within {@code cmd_timeout}. */
    final CommandRunner.Outcome run(List<String> argv) throws ProviderException {
        return runner.run(argv, null, batch.cmdTimeout());
    }

    /** The status command's outcome; a scheduler may ask again another way when the first answer fails. */
    CommandRunner.Outcome statusOutcome(List<String> jobIds) throws ProviderException {
        return run(statusArgv(jobIds));
    }

    @Override
    public final String submit(BlockJob job) throws ProviderException {
        Path file = job.dir().resolve(job.name() + ".submit");
        try {
            Files.createDirectories(job.dir());
            Files.writeString(file, script(job));
        } catch (IOException e) {
            throw new ProviderException("cannot write the block's script " + file + ": " + e.getMessage(), e);
        }
        List<String> argv = submitArgv(file);
        CommandRunner.Outcome r = run(argv);
        if (!r.ok()) {
            throw new ProviderException(argv.get(0) + " refused the block: " + r.reason());
        }
        return parseSubmit(r.stdout());
    }

    @Override
    public final Map<String, JobStatus> status(List<String> jobIds) throws ProviderException {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        CommandRunner.Outcome r = statusOutcome(jobIds);
        if (!r.ok() && r.stdout().isBlank()) {
            throw new ProviderException(statusArgv(jobIds).get(0) + " failed: " + r.reason());
        }
        return parseStatus(r.stdout(), jobIds);
    }

    @Override
    public final void cancel(List<String> jobIds) throws ProviderException {
        if (jobIds.isEmpty()) {
            return;
        }
        List<String> argv = cancelArgv(jobIds);
        CommandRunner.Outcome r = run(argv);
        if (!r.ok()) {
            throw new ProviderException(argv.get(0) + " failed: " + r.reason());
        }
    }
}
