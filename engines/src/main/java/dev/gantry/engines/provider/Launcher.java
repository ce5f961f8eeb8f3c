package dev.gantry.engines.provider;

import java.util.List;

/**
 * Starts one manager per node of a block: wraps the manager's command for the block's job script. The launcher
 * also names how MPI tasks on the block are started ({@code GANTRY_MPI_LAUNCHER}: their prefix).
 */
public sealed interface Launcher {

    /** The job script's line that runs {@code command} once on each of {@code nodes} nodes. */
    String wrap(String command, int nodes);

    /** {@code single_node}, {@code srun} or {@code mpiexec}: the MPI launcher tasks on this block use. */
    String mpiLauncher();

    /** Runs the command once, on the node the job script runs on (one node per block). */
    record SingleNode() implements Launcher {
        @Override
        public String wrap(String command, int nodes) {
            return command;
        }

        @Override
        public String mpiLauncher() {
            return "mpiexec";
        }
    }

    /** {@code srun}, one task per node; {@code overrides} are extra srun flags. */
    record Srun(String overrides) implements Launcher {
        public Srun {
            overrides = checked(overrides);
        }

        @Override
        public String wrap(String command, int nodes) {
            return "srun --ntasks=" + nodes + " --ntasks-per-node=1 --nodes=" + nodes + overrides + " bash -c "
                    + Shell.quote(command);
        }

        @Override
        public String mpiLauncher() {
            return "srun";
        }
    }

    /** {@code mpiexec}, one process per node; {@code overrides} are extra mpiexec flags. */
    record MpiExec(String overrides) implements Launcher {
        public MpiExec {
            overrides = checked(overrides);
        }

        @Override
        public String wrap(String command, int nodes) {
            return "mpiexec -n " + nodes + " -ppn 1" + overrides + " bash -c " + Shell.quote(command);
        }

        @Override
        public String mpiLauncher() {
            return "mpiexec";
        }
    }

    private static String checked(String overrides) {
        if (overrides == null || overrides.isBlank()) {
            return "";
        }
        for (String flag : List.of(overrides.strip().split("\\s+"))) {
            BatchOptions.shellWord("launcher overrides", flag);
        }
        return " " + overrides.strip();
    }
}
