package dev.gantry.engines;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.engines.provider.BatchOptions;
import dev.gantry.engines.provider.LocalCommandRunner;
import dev.gantry.engines.provider.LocalProvider;
import dev.gantry.engines.provider.PbsProProvider;
import dev.gantry.engines.provider.Provider;
import dev.gantry.engines.provider.SlurmProvider;

/** The pilot engine's {@code provider} block; {@code type} names the scheduler. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProviderConfig.Local.class, name = "local"),
    @JsonSubTypes.Type(value = ProviderConfig.Slurm.class, name = "slurm"),
    @JsonSubTypes.Type(value = ProviderConfig.PbsPro.class, name = "pbspro")
})
public sealed interface ProviderConfig {

    Provider create();

    /** The block's launcher; null for the provider's default. */
    LauncherConfig launcher();

    /** Blocks as processes on the endpoint's host. */
    record Local(String workerInit, LauncherConfig launcher) implements ProviderConfig {
        @Override
        public Provider create() {
            return new LocalProvider(new BatchOptions(null, null, workerInit, 0));
        }
    }

    /** Blocks as Slurm jobs ({@code sbatch}). */
    record Slurm(String partition, String account, String qos, String constraint, Boolean exclusive,
            Integer coresPerNode, Integer memPerNode, Integer gpusPerNode, String schedulerOptions, String walltime,
            String workerInit, Integer cmdTimeout, LauncherConfig launcher) implements ProviderConfig {
        public Slurm {
            options(partition, account, qos, constraint, exclusive, coresPerNode, memPerNode, gpusPerNode,
                    schedulerOptions, walltime, workerInit, cmdTimeout); // checked when the config is read
        }

        private static SlurmProvider.Options options(String partition, String account, String qos, String constraint,
                Boolean exclusive, Integer coresPerNode, Integer memPerNode, Integer gpusPerNode, String schedulerOptions,
                String walltime, String workerInit, Integer cmdTimeout) {
            BatchOptions batch = new BatchOptions(walltime, schedulerOptions, workerInit, cmdTimeout == null ? 0 : cmdTimeout);
            batch.directives("#SBATCH");
            return new SlurmProvider.Options(partition, account, qos, constraint, exclusive, coresPerNode, memPerNode,
                    gpusPerNode, batch);
        }

        @Override
        public Provider create() {
            return new SlurmProvider(options(partition, account, qos, constraint, exclusive, coresPerNode, memPerNode,
                    gpusPerNode, schedulerOptions, walltime, workerInit, cmdTimeout), new LocalCommandRunner());
        }
    }

    /** Blocks as PBS Pro jobs ({@code qsub}). */
    record PbsPro(String queue, String account, String selectOptions, Integer cpusPerNode, String schedulerOptions,
            String walltime, String workerInit, Integer cmdTimeout, LauncherConfig launcher) implements ProviderConfig {
        public PbsPro {
            options(queue, account, selectOptions, cpusPerNode, schedulerOptions, walltime, workerInit, cmdTimeout);
        }

        private static PbsProProvider.Options options(String queue, String account, String selectOptions,
                Integer cpusPerNode, String schedulerOptions, String walltime, String workerInit, Integer cmdTimeout) {
            BatchOptions batch = new BatchOptions(walltime, schedulerOptions, workerInit, cmdTimeout == null ? 0 : cmdTimeout);
            batch.directives("#PBS");
            return new PbsProProvider.Options(queue, account, selectOptions, cpusPerNode, batch);
        }

        @Override
        public Provider create() {
            return new PbsProProvider(options(queue, account, selectOptions, cpusPerNode, schedulerOptions, walltime,
                    workerInit, cmdTimeout), new LocalCommandRunner());
        }
    }
}
