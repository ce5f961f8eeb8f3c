package dev.gantry.protocol;

import java.util.UUID;

/** Parses ids from untrusted text: a UUID or a {@link GantryException} with {@link ApiError#INVALID_UUID}. */
public final class Ids {
    private Ids() {}

    public static UUID parse(String what, String text) {
        if (text == null || text.length() != 36) {
            throw invalid(what, text);
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw invalid(what, text);
        }
    }

    private static GantryException invalid(String what, String text) {
        String shown = text == null ? "nothing" : "'" + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "'";
        return new GantryException(ApiError.INVALID_UUID, what + " must be a UUID, got " + shown);
    }
}
