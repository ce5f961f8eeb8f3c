package dev.gantry.engines.provider;

/** A job's state and, where the scheduler gives one, its reason or exit status. */
public record JobStatus(JobState state, String message) {
    public static JobStatus of(JobState state) {
        return new JobStatus(state, "");
    }
}
