package dev.gantry.protocol;

import java.util.UUID;

/** Parses ids from untrusted text: a UUID or a {@link GantryException} with {@link ApiError#INVALID_UUID}. */
public final class Ids {
    private Ids() {}

    public static UUID parse(String what, String text) {
        if (!canonical(text)) {
            throw invalid(what, text);
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw invalid(what, text);
        }
    }

    /**
     * Only the canonical form, 8-4-4-4-12 ASCII hex digits ({@code UUID.fromString} also takes moved dashes, signs
     * and other scripts' digits). A loop, not a regular expression: ids are parsed several times per task.
     */
    public static boolean canonical(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static GantryException invalid(String what, String text) {
        String shown = text == null ? "nothing" : "'" + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "'";
        return new GantryException(ApiError.INVALID_UUID, what + " must be a UUID, got " + shown);
    }
}
