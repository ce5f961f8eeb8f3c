package dev.gantry.protocol;

import java.util.Collection;

/**
 * Bounds every part of Gantry enforces, with Globus Compute's values where it has them. Each frame of the
 * endpoint channel is checked against them where it is decoded, so that a bad frame fails only its sender.
 */
public final class Limits {
    /** A task's serialized result: 10 MiB, checked by the worker and again by the service. */
    public static final int MAX_RESULT_CHARS = 10 * 1024 * 1024;

    /** A failure's exception type (the column holds 512 characters); longer ones are cut. */
    public static final int MAX_EXCEPTION_TYPE_CHARS = 512;

    /** A failure's message for the user; longer ones are cut. */
    public static final int MAX_FAILURE_MESSAGE_CHARS = 64 * 1024;

    /** An endpoint's heartbeat period, in milliseconds (its config allows 0.2 s to an hour). */
    public static final int MIN_HEARTBEAT_PERIOD_MS = 100;

    public static final int MAX_HEARTBEAT_PERIOD_MS = 3_600_000;

    /** How many tasks an endpoint may ask for at once. */
    public static final int MAX_CREDIT = 1_000_000;

    /** Task ids in one frame (a hello's held tasks, acceptances, results). */
    public static final int MAX_FRAME_TASKS = 200_000;

    /** One chunk of what a task wrote (the worker holds at most 1 MiB of a task's output not sent yet). */
    public static final int MAX_OUTPUT_CHUNK_BYTES = 64 * 1024;

    /** Output chunks in one frame. */
    public static final int MAX_FRAME_CHUNKS = 1000;

    /**
     * A frame an endpoint sends on its channel: the largest a frame kind needs is a results frame holding one
     * result of {@link #MAX_RESULT_CHARS}, or a hello naming {@link #MAX_FRAME_TASKS} tasks still running; the
     * service closes a channel whose frame is larger (1009), so it buffers no more than this for anyone.
     */
    public static final int MAX_CHANNEL_FRAME_CHARS = 16 * 1024 * 1024;

    /** The results of one results frame, together (one larger result goes alone, still within the frame bound). */
    public static final int MAX_FRAME_RESULT_CHARS = 4 * 1024 * 1024;

    /** Short strings of a frame (versions, names). */
    public static final int MAX_NAME_CHARS = 256;

    private Limits() {}

    /** {@code value} if it lies in {@code [min, max]}; else a {@code SEMANTICALLY_INVALID} naming {@code what}. */
    public static long within(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, what + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Refuses a list longer than {@code max}, or one with a null entry. */
    public static void atMost(String what, Collection<?> items, int max) {
        if (items != null && items.size() > max) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, what + " may hold at most " + max + " entries, got " + items.size());
        }
        if (items != null && items.stream().anyMatch(java.util.Objects::isNull)) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, what + " may not hold null");
        }
    }

    /** Refuses a missing value. */
    public static <T> T required(String what, T value) {
        if (value == null) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, what + " is required");
        }
        return value;
    }

    /** {@code s} cut to {@code max} characters (with a mark that it was cut); null stays null. */
    public static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String mark = "...";
        int end = max - mark.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never half a character
        }
        return s.substring(0, end) + mark;
    }
}
