package dev.gantry.protocol.payload;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.util.ArrayList;
import java.util.List;

/** Globus Compute's {@code pack_buffers} / {@code unpack_buffers}. */
public final class Buffers {
    private Buffers() {}

    public static String pack(List<String> buffers) {
        StringBuilder sb = new StringBuilder();
        for (String b : buffers) {
            sb.append(b.codePointCount(0, b.length())).append('\n').append(b);
        }
        return sb.toString();
    }

    /** The strategy of the first buffer, read from its header alone (nothing is decoded). */
    public static Strategy firstStrategy(String packed) {
        int nl = packed.indexOf('\n');
        if (nl <= 0 || nl > 10 || packed.length() < nl + 4 || packed.charAt(nl + 3) != '\n') {
            throw malformed("a packed payload starts with a length, a newline and a 2-character strategy");
        }
        parseLength(packed.substring(0, nl));
        return Strategy.of(packed.substring(nl + 1, nl + 3));
    }

    public static List<String> unpack(String packed) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < packed.length()) {
            int nl = packed.indexOf('\n', i);
            if (nl < 0 || nl == i || nl - i > 10) {
                throw malformed("a buffer length must be digits followed by a newline at offset " + i);
            }
            int codePoints = parseLength(packed.substring(i, nl));
            int start = nl + 1;
            int end;
            try {
                end = packed.offsetByCodePoints(start, codePoints);
            } catch (IndexOutOfBoundsException e) {
                throw malformed("a buffer says it holds " + codePoints + " characters but the payload ends first");
            }
            out.add(packed.substring(start, end));
            i = end;
        }
        return out;
    }

    private static int parseLength(String digits) {
        for (int k = 0; k < digits.length(); k++) {
            if (digits.charAt(k) < '0' || digits.charAt(k) > '9') {
                throw malformed("a buffer length must be digits, got '" + digits + "'");
            }
        }
        return Integer.parseInt(digits);
    }

    static GantryException malformed(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, "malformed payload: " + message);
    }
}
