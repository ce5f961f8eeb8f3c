package dev.gantry.protocol;

/** Bounds every part of Gantry enforces, with Globus Compute's values. */
public final class Limits {
    /** A task's serialized result: 10 MiB, checked by the worker and again by the service. */
    public static final int MAX_RESULT_CHARS = 10 * 1024 * 1024;

    private Limits() {}
}
