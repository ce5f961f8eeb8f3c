package dev.gantry.engines.provider;

/** A block's job as its scheduler sees it. */
public enum JobState {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    TIMEOUT,
    UNKNOWN;

    /** The job will not run (any more): its managers are gone or never come. */
    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == TIMEOUT;
    }
}
