package dev.gantry.worker;

import dev.gantry.protocol.api.ResourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an engine starts an MPI task's ranks: the command prefix for a resource specification and the
 * variables that describe it ({@code GANTRY_MPI_PREFIX}, {@code GANTRY_NUM_RANKS}, ... and Parsl's
 * {@code PARSL_*} names, which MPI commands written for Globus Compute use).
 */
public interface MpiLauncher {

    /** The prefix for {@code spec}; throws {@link IllegalArgumentException} if this launcher cannot give it. */
    String prefix(ResourceSpec spec);

    default Map<String, String> environment(ResourceSpec spec) {
        String prefix = prefix(spec);
        Map<String, String> env = new LinkedHashMap<>();
        for (String ns : new String[] {"GANTRY", "PARSL"}) {
            env.put(ns + "_MPI_PREFIX", prefix);
            env.put(ns + "_NUM_NODES", Integer.toString(spec.numNodes()));
            env.put(ns + "_RANKS_PER_NODE", Integer.toString(spec.ranksPerNode()));
            env.put(ns + "_NUM_RANKS", Integer.toString(spec.numRanks()));
        }
        return env;
    }

    /** {@code srun} inside a Slurm block: the ranks may span the block's nodes. */
    static MpiLauncher srun() {
        return spec -> {
            String prefix = "srun -N " + spec.numNodes() + " -n " + spec.numRanks() + " --ntasks-per-node="
                    + spec.ranksPerNode();
            return spec.launcherOptions().isEmpty() ? prefix : prefix + " " + spec.launcherOptions();
        };
    }

    /** {@code mpiexec} on this host alone: what the thread and process engines offer. */
    static MpiLauncher localMpiexec() {
        return spec -> {
            if (spec.numNodes() > 1) {
                throw new IllegalArgumentException("the task asks for " + spec.numNodes() + " nodes; this engine runs"
                        + " on one host (use a pilot engine for multi-node MPI)");
            }
            String prefix = "mpiexec -n " + spec.numRanks();
            return spec.launcherOptions().isEmpty() ? prefix : prefix + " " + spec.launcherOptions();
        };
    }
}
