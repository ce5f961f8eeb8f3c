package dev.gantry.service.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Small JDBC helpers shared by the stores. */
final class Rows {
    private Rows() {}

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    /** The function ids of a JSON array, as an unmodifiable set in their order; null for null. */
    static Set<FunctionId> functionIds(String json) {
        return json == null
                ? null
                : Collections.unmodifiableSet(new LinkedHashSet<>(List.of(Json.read(json, FunctionId[].class))));
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static String jsonOrNull(Object value) {
        return value == null ? null : Json.write(value);
    }

    static <T> T readJson(String text, Class<T> type) {
        return text == null ? null : Json.read(text, type);
    }

    static JsonNode tree(String text) {
        try {
            return text == null ? null : Json.mapper().readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code ?, ?, ?} with {@code n} marks. */
    /** A list of names as one column's text, comma-separated; null or empty is NULL. */
    static String joined(java.util.List<String> names) {
        return names == null || names.isEmpty() ? null : String.join(",", names);
    }

    /** The inverse of {@link #joined}. */
    static java.util.List<String> split(String text) {
        return text == null ? null : java.util.List.of(text.split(","));
    }

    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static void setUuids(PreparedStatement ps, int from, Collection<UUID> ids) throws SQLException {
        int i = from;
        for (UUID id : ids) {
            ps.setObject(i++, id);
        }
    }
}
