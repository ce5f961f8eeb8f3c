package dev.gantry.engines.provider;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What every batch provider takes: {@code walltime} (HH:MM:SS), {@code scheduler_options} (extra directive
 * lines), {@code worker_init} (shell run on each node first), {@code cmd_timeout} (seconds a scheduler command
 * may take). Values that end up in a job script are checked here, so none can add a line of its own.
 */
public record BatchOptions(String walltime, String schedulerOptions, String workerInit, int cmdTimeoutS) {
    private static final Pattern WALLTIME = Pattern.compile("(\\d{1,4}:)?\\d{1,2}:\\d{2}(:\\d{2})?|\\d{1,6}");
    /** A directive's value: no spaces, quotes, backslashes or control characters (Slurm constraints use {@code &|()!*}). */
    private static final Pattern DIRECTIVE_VALUE = Pattern.compile("[A-Za-z0-9_.:,=+@%/\\-\\[\\]&|()!*]*");
    /** A word of a shell command line: no metacharacters at all. */
    private static final Pattern SHELL_WORD = Pattern.compile("[A-Za-z0-9_.:,=+@%/\\-]*");

    public BatchOptions {
        walltime = walltime == null ? "00:30:00" : walltime;
        if (!WALLTIME.matcher(walltime).matches()) {
            throw new IllegalArgumentException("walltime must look like HH:MM:SS, got '" + walltime + "'");
        }
        schedulerOptions = schedulerOptions == null ? "" : schedulerOptions.strip();
        workerInit = workerInit == null ? "" : workerInit.strip();
        cmdTimeoutS = cmdTimeoutS == 0 ? 30 : cmdTimeoutS;
        if (cmdTimeoutS < 1 || cmdTimeoutS > 3600) {
            throw new IllegalArgumentException("cmd_timeout must be between 1 and 3600 seconds, got " + cmdTimeoutS);
        }
    }

    public static BatchOptions defaults() {
        return new BatchOptions(null, null, null, 0);
    }

    public Duration cmdTimeout() {
        return Duration.ofSeconds(cmdTimeoutS);
    }

    /** {@code scheduler_options}: each non-blank line must be a directive with {@code prefix} (#SBATCH, #PBS). */
    public String directives(String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : schedulerOptions.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!l.startsWith(prefix + " ")) {
                throw new IllegalArgumentException(
                        "scheduler_options lines must start with '" + prefix + " ', got '" + l + "'");
            }
            out.append(l).append('\n');
        }
        return out.toString();
    }

    /** A value that goes into a directive: letters, digits and {@code _.:,=+@%/-[]&|()!*} only. */
    public static String safe(String key, String value) {
        if (value != null && !DIRECTIVE_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    key + " may hold only letters, digits and _.:,=+@%/-[]&|()!*, got '" + value + "'");
        }
        return value;
    }

    /** A word that goes into a shell command line: letters, digits and {@code _.:,=+@%/-} only. */
    public static String shellWord(String key, String value) {
        if (value != null && !SHELL_WORD.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    key + " may hold only letters, digits and _.:,=+@%/-, got '" + value + "'");
        }
        return value;
    }
}
