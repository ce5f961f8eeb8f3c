package dev.gantry.protocol;

/**
 * The names under which the service, endpoints and engines put ids into the logging context (SLF4J's MDC),
 * so that every line logged about an endpoint or a task carries its id, and the log patterns show them.
 */
public final class LogKeys {
    /** The endpoint a line is about. */
    public static final String ENDPOINT = "endpoint";

    /** The task a line is about. */
    public static final String TASK = "task";

    private LogKeys() {}
}
