package dev.gantry.endpoint;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.payload.Strategy;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An endpoint's {@code allowed_serializers}: the strategies it decodes. An entry is Gantry's name or id of a
 * strategy ({@code python_source}, {@code st}), Globus Compute's import path of one
 * ({@code globus_compute_sdk.serialize.JSONData}, also under {@code .concretes}), or its wildcards
 * {@code globus_compute_sdk.*Code} and {@code globus_compute_sdk.*Data} (every one of its code or data
 * strategies), which, as there, cannot be mixed with single entries of the same kind. Absent, every strategy
 * is allowed but Java native serialization, which runs code while it decodes and is only for trusted
 * submitters. JSON arguments always pass.
 */
final class SerializerAllowlist {
    static final String CODE_WILDCARD = "globus_compute_sdk.*Code";
    static final String DATA_WILDCARD = "globus_compute_sdk.*Data";

    private SerializerAllowlist() {}

    /** The strategies {@code entries} allow; null: the default. */
    static Set<Strategy> parse(List<String> entries) {
        if (entries == null) {
            Set<Strategy> all = EnumSet.allOf(Strategy.class);
            all.remove(Strategy.JAVA_NATIVE);
            return all;
        }
        Set<Strategy> out = EnumSet.noneOf(Strategy.class);
        boolean codeWildcard = entries.contains(CODE_WILDCARD);
        boolean dataWildcard = entries.contains(DATA_WILDCARD);
        for (String entry : entries) {
            if (entry == null) {
                throw invalid("allowed_serializers may not hold null");
            }
            if (entry.equals(CODE_WILDCARD) || entry.equals(DATA_WILDCARD)) {
                boolean code = entry.equals(CODE_WILDCARD);
                for (Strategy s : Strategy.values()) {
                    if (s.className() != null && s.forCode() == code) {
                        out.add(s);
                    }
                }
                continue;
            }
            Strategy s = strategy(entry);
            if (s.className() != null && (s.forCode() ? codeWildcard : dataWildcard)) {
                throw invalid("allowed_serializers: '" + entry + "' cannot be listed with "
                        + (s.forCode() ? CODE_WILDCARD : DATA_WILDCARD) + ", which already allows it");
            }
            out.add(s);
        }
        return out;
    }

    private static Strategy strategy(String entry) {
        for (Strategy s : Strategy.values()) {
            if (s.name().equalsIgnoreCase(entry) || s.id().equals(entry)) {
                return s;
            }
        }
        Strategy byPath = Strategy.byImportPath(entry);
        if (byPath != null) {
            return byPath;
        }
        throw invalid("allowed_serializers: unknown strategy '" + entry + "'; use a name such as python_source, an"
                + " import path such as globus_compute_sdk.serialize.JSONData, or " + CODE_WILDCARD + " / "
                + DATA_WILDCARD);
    }

    /** How a refusal names a strategy: Globus Compute's class name where it has one. */
    static String describe(Strategy s) {
        return (s.className() != null ? s.className() : s.name().toLowerCase(Locale.ROOT)) + " ('" + s.id() + "')";
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
