package dev.gantry.engines;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.engines.provider.BatchOptions;
import dev.gantry.engines.provider.KubernetesProvider;
import dev.gantry.engines.provider.LocalCommandRunner;
import dev.gantry.engines.provider.LocalProvider;
import dev.gantry.engines.provider.PbsProProvider;
import dev.gantry.engines.provider.Provider;
import dev.gantry.engines.provider.SlurmProvider;
import java.util.List;

/** The pilot engine's {@code provider} block; {@code type} names the scheduler. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProviderConfig.Local.class, name = "local"),
    @JsonSubTypes.Type(value = ProviderConfig.Slurm.class, name = "slurm"),
    @JsonSubTypes.Type(value = ProviderConfig.PbsPro.class, name = "pbspro"),
    @JsonSubTypes.Type(value = ProviderConfig.Kubernetes.class, name = "kubernetes")
})
public sealed interface ProviderConfig {

    Provider create();

    /** The block's launcher; null for the provider's default. */
    LauncherConfig launcher();

    /**
     * How a block's nodes start a manager, when not as this JVM does (same java, same class path, on a file
     * system shared with the endpoint): {@code [java, classpath]} inside a container image, else null.
     */
    default List<String> managerJava() {
        return null;
    }

    /** Blocks as processes on the endpoint's host. */
    record Local(String workerInit, LauncherConfig launcher) implements ProviderConfig {
        @Override
        public Provider create() {
            return new LocalProvider(new BatchOptions(null, null, workerInit, 0));
        }
    }

    /** Blocks as Slurm jobs ({@code sbatch}). */
    record Slurm(
            String partition,
            String account,
            String qos,
            String constraint,
            Boolean exclusive,
            Integer coresPerNode,
            Integer memPerNode,
            Integer gpusPerNode,
            String schedulerOptions,
            String walltime,
            String workerInit,
            Integer cmdTimeout,
            LauncherConfig launcher)
            implements ProviderConfig {
        public Slurm {
            options(
                    partition,
                    account,
                    qos,
                    constraint,
                    exclusive,
                    coresPerNode,
                    memPerNode,
                    gpusPerNode,
                    schedulerOptions,
                    walltime,
                    workerInit,
                    cmdTimeout); // checked when the config is read
        }

        private static SlurmProvider.Options options(
                String partition,
                String account,
                String qos,
                String constraint,
                Boolean exclusive,
                Integer coresPerNode,
                Integer memPerNode,
                Integer gpusPerNode,
                String schedulerOptions,
                String walltime,
                String workerInit,
                Integer cmdTimeout) {
            BatchOptions batch =
                    new BatchOptions(walltime, schedulerOptions, workerInit, cmdTimeout == null ? 0 : cmdTimeout);
            batch.directives("#SBATCH");
            return new SlurmProvider.Options(
                    partition, account, qos, constraint, exclusive, coresPerNode, memPerNode, gpusPerNode, batch);
        }

        @Override
        public Provider create() {
            return new SlurmProvider(
                    options(
                            partition,
                            account,
                            qos,
                            constraint,
                            exclusive,
                            coresPerNode,
                            memPerNode,
                            gpusPerNode,
                            schedulerOptions,
                            walltime,
                            workerInit,
                            cmdTimeout),
                    new LocalCommandRunner());
        }
    }

    /** Blocks as PBS Pro jobs ({@code qsub}). */
    record PbsPro(
            String queue,
            String account,
            String selectOptions,
            Integer cpusPerNode,
            String schedulerOptions,
            String walltime,
            String workerInit,
            Integer cmdTimeout,
            LauncherConfig launcher)
            implements ProviderConfig {
        public PbsPro {
            options(queue, account, selectOptions, cpusPerNode, schedulerOptions, walltime, workerInit, cmdTimeout);
        }

        private static PbsProProvider.Options options(
                String queue,
                String account,
                String selectOptions,
                Integer cpusPerNode,
                String schedulerOptions,
                String walltime,
                String workerInit,
                Integer cmdTimeout) {
            BatchOptions batch =
                    new BatchOptions(walltime, schedulerOptions, workerInit, cmdTimeout == null ? 0 : cmdTimeout);
            batch.directives("#PBS");
            return new PbsProProvider.Options(queue, account, selectOptions, cpusPerNode, batch);
        }

        @Override
        public Provider create() {
            return new PbsProProvider(
                    options(
                            queue,
                            account,
                            selectOptions,
                            cpusPerNode,
                            schedulerOptions,
                            walltime,
                            workerInit,
                            cmdTimeout),
                    new LocalCommandRunner());
        }
    }

    /**
     * Blocks as pods (one per node) on the cluster of the current kubeconfig. The image must hold Gantry: the
     * manager starts as {@code java -cp <classpath>} (default {@code /opt/gantry/lib/*}); {@code address} must be
     * an address of the endpoint that pods reach.
     */
    record Kubernetes(
            String image,
            String namespace,
            String initCpu,
            String maxCpu,
            String initMem,
            String maxMem,
            String serviceAccountName,
            Long userId,
            Long groupId,
            Boolean runAsNonRoot,
            String workerInit,
            String java,
            String classpath)
            implements ProviderConfig {
        public Kubernetes {
            options(
                    image,
                    namespace,
                    initCpu,
                    maxCpu,
                    initMem,
                    maxMem,
                    serviceAccountName,
                    userId,
                    groupId,
                    runAsNonRoot,
                    workerInit);
            java = java == null ? "java" : java;
            classpath = classpath == null ? "/opt/gantry/lib/*" : classpath;
        }

        KubernetesProvider.Options options() {
            return options(
                    image,
                    namespace,
                    initCpu,
                    maxCpu,
                    initMem,
                    maxMem,
                    serviceAccountName,
                    userId,
                    groupId,
                    runAsNonRoot,
                    workerInit);
        }

        private static KubernetesProvider.Options options(
                String image,
                String namespace,
                String initCpu,
                String maxCpu,
                String initMem,
                String maxMem,
                String serviceAccountName,
                Long userId,
                Long groupId,
                Boolean runAsNonRoot,
                String workerInit) {
            return new KubernetesProvider.Options(
                    image,
                    namespace,
                    initCpu,
                    maxCpu,
                    initMem,
                    maxMem,
                    serviceAccountName,
                    userId,
                    groupId,
                    runAsNonRoot,
                    workerInit);
        }

        @Override
        public LauncherConfig launcher() {
            return null; // a pod is one node: the manager runs as the container's command
        }

        @Override
        public List<String> managerJava() {
            return List.of(java, classpath);
        }

        @Override
        public Provider create() {
            return new KubernetesProvider(
                    options(), new io.fabric8.kubernetes.client.KubernetesClientBuilder().build());
        }
    }
}
