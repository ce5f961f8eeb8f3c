package dev.gantry.protocol.api;

/** Reply of Globus Compute's v2 DELETE routes: {@code {"result": 302}}. */
public record DeleteResult(int result) {
    public static final DeleteResult DONE = new DeleteResult(302);
}
