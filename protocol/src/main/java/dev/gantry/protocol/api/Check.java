package dev.gantry.protocol.api;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;

/** Validation helpers for compact constructors: each failure is a 422 with the field's name. */
final class Check {
    private Check() {}

    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
        if (value.length() > maxLength) {
            throw invalid(field + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    static String optionalText(String field, String value, int maxLength) {
        return value == null ? null : text(field, value, maxLength);
    }

    static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
