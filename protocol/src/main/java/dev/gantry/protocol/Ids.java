package dev.gantry.protocol;

import java.util.UUID;
import java.util.regex.Pattern;

/** Parses ids from untrusted text: a UUID or a {@link GantryException} with {@link ApiError#INVALID_UUID}. */
public final class Ids {
    private Ids() {}

    /** Only the canonical form: 8-4-4-4-12 ASCII hex digits (UUID.fromString also takes moved dashes, signs, other digits). */
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public static UUID parse(String what, String text) {
        if (text == null || text.length() != 36 || !CANONICAL.matcher(text).matches()) {
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
