package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.api.EndpointMetadata;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What each endpoint said at registration of its workers' Python, looked up for the tasks it ran. */
public final class WorkerRuntimes {
    private final Database db;

    public WorkerRuntimes(Database db) {
        this.db = db;
    }

    /** The registration metadata of these endpoints (those without any are left out), in one query. */
    public Map<EndpointId, EndpointMetadata> of(Collection<EndpointId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<UUID> keys = ids.stream().map(EndpointId::value).distinct().toList();
        return db.tx(c -> {
            Map<EndpointId, EndpointMetadata> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, metadata FROM endpoints WHERE id IN (" + Rows.marks(keys.size()) + ")")) {
                Rows.setUuids(ps, 1, keys);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EndpointMetadata m = Rows.readJson(rs.getString("metadata"), EndpointMetadata.class);
                        if (m != null) {
                            out.put(new EndpointId(Rows.uuid(rs, "id")), m);
                        }
                    }
                }
            }
            return out;
        });
    }
}
