package dev.gantry.engines.provider;

import java.time.Duration;
import java.util.List;

/** Runs a scheduler's command (sbatch, squeue, qsub, ...): the only place providers touch the system. */
public interface CommandRunner {

    /** What a command did: its exit code and its output, both streams. */
    record Outcome(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The command's own words for a failure: stderr, else stdout, trimmed. */
        public String reason() {
            String s = stderr.isBlank() ? stdout : stderr;
            return s.strip();
        }
    }

    /**
     * Runs {@code argv} with {@code stdin} (may be null), waiting at most {@code timeout} ({@code cmd_timeout});
     * a command that takes longer is killed and reported as a {@link ProviderException}.
     */
    Outcome run(List<String> argv, String stdin, Duration timeout) throws ProviderException;
}
