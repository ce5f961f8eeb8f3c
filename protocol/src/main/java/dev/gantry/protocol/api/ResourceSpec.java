package dev.gantry.protocol.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * What an MPI task asks for (Globus Compute's {@code resource_specification}): nodes, ranks per node, ranks in
 * all, and options for the MPI launcher. Checked when the batch is submitted: unknown keys, non-positive
 * counts, counts that disagree, and launcher options that could break out of the command line are refused.
 * A missing count is derived from the others; {@code num_nodes} defaults to 1.
 */
public record ResourceSpec(int numNodes, int ranksPerNode, int numRanks, String launcherOptions) {
    public static final int MAX_NODES = 10_000;
    public static final int MAX_RANKS = 1_000_000;
    public static final int MAX_LAUNCHER_OPTIONS = 1_000;
    private static final Set<String> KEYS =
            Set.of("num_nodes", "ranks_per_node", "num_ranks", "launcher_options", "priority");
    private static final Set<String> MPI_KEYS = Set.of("num_nodes", "ranks_per_node", "num_ranks", "launcher_options");

    public ResourceSpec {
        if (numNodes < 1 || numNodes > MAX_NODES) {
            throw Check.invalid(
                    "resource_specification.num_nodes must be between 1 and " + MAX_NODES + ", got " + numNodes);
        }
        if (ranksPerNode < 1 || numRanks < 1 || numRanks > MAX_RANKS) {
            throw Check.invalid("resource_specification needs ranks_per_node >= 1 and num_ranks between 1 and "
                    + MAX_RANKS + ", got " + ranksPerNode + " and " + numRanks);
        }
        if (numRanks > (long) numNodes * ranksPerNode || numRanks <= (long) (numNodes - 1) * ranksPerNode) {
            throw Check.invalid("resource_specification.num_ranks (" + numRanks + ") does not fit num_nodes ("
                    + numNodes + ") x ranks_per_node (" + ranksPerNode + ")");
        }
        launcherOptions = launcherOptions == null ? "" : launcherOptions.strip();
        if (launcherOptions.length() > MAX_LAUNCHER_OPTIONS || !launcherOptions.matches("[\\w ./=:,+@%-]*")) {
            throw Check.invalid("resource_specification.launcher_options may hold at most " + MAX_LAUNCHER_OPTIONS
                    + " letters, digits, spaces and . / = : , + @ % - characters");
        }
    }

    /**
     * Reads and checks a submit's {@code resource_specification}; null or an empty object is none. It takes what
     * Globus Compute's engines take: the MPI keys ({@code num_nodes} alone means one rank per node) and
     * {@code priority} (a whole number, which Gantry's queues do not order by).
     */
    public static ResourceSpec parse(JsonNode spec) {
        if (spec == null || spec.isNull() || (spec.isObject() && spec.isEmpty())) {
            return null;
        }
        if (!spec.isObject()) {
            throw Check.invalid("resource_specification must be an object");
        }
        for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw Check.invalid("resource_specification has an unknown key '" + key + "'; the keys are " + KEYS);
            }
        }
        if (spec.has("priority") && !spec.get("priority").isIntegralNumber()) {
            throw Check.invalid("resource_specification.priority must be a whole number, got " + spec.get("priority"));
        }
        if (MPI_KEYS.stream().noneMatch(spec::has)) {
            return null;
        }
        int nodes = count(spec, "num_nodes", 1);
        Integer perNode = spec.has("ranks_per_node") ? count(spec, "ranks_per_node", 0) : null;
        Integer ranks = spec.has("num_ranks") ? count(spec, "num_ranks", 0) : null;
        if (perNode == null && ranks == null) {
            perNode = 1;
        }
        int r = ranks != null ? ranks : (int) Math.min(Integer.MAX_VALUE, (long) nodes * perNode);
        int p = perNode != null ? perNode : (r + nodes - 1) / nodes;
        JsonNode opts = spec.get("launcher_options");
        if (opts != null && !opts.isNull() && !opts.isTextual()) {
            throw Check.invalid("resource_specification.launcher_options must be a string");
        }
        return new ResourceSpec(nodes, p, r, opts == null || opts.isNull() ? null : opts.asText());
    }

    private static int count(JsonNode spec, String key, int dflt) {
        JsonNode v = spec.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw Check.invalid("resource_specification." + key + " must be a whole number, got " + v);
        }
        return v.intValue();
    }
}
