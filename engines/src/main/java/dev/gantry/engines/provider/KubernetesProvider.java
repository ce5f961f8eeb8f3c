package dev.gantry.engines.provider;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blocks as Kubernetes pods, one per node of the block, labelled {@code gantry-block=<job>}; the block's
 * secrets (the interchange token) go in a Secret the pods read as environment variables. The pods run the
 * manager from the image ({@code java -cp <classpath>}), as the configured user, without privilege
 * escalation and with every capability dropped. Tested with fabric8's mock API server.
 */
public final class KubernetesProvider implements Provider {
    static final String LABEL = "gantry-block";

    /** The {@code provider} block's Kubernetes keys. */
    public record Options(
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
        public Options {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("provider.image is required for kubernetes");
            }
            BatchOptions.safe("image", image);
            namespace = namespace == null ? "default" : namespace;
            if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("provider.namespace must be a DNS label, got '" + namespace + "'");
            }
            for (String q : new String[] {initCpu, maxCpu, initMem, maxMem}) {
                if (q != null && !q.matches("[0-9.]+[A-Za-z]{0,2}")) {
                    throw new IllegalArgumentException(
                            "cpu and memory must be quantities like 500m, 2 or 4Gi, got '" + q + "'");
                }
            }
            initCpu = initCpu == null ? "1" : initCpu;
            initMem = initMem == null ? "1Gi" : initMem;
            runAsNonRoot = runAsNonRoot == null || runAsNonRoot;
            workerInit = workerInit == null ? "" : workerInit.strip();
        }
    }

    private final Options options;
    private final KubernetesClient client;

    public KubernetesProvider(Options options, KubernetesClient client) {
        this.options = options;
        this.client = client;
    }

    @Override
    public String type() {
        return "kubernetes";
    }

    /** A DNS-1123 name from a block's name. */
    static String podName(String name) {
        String n = name.toLowerCase().replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        return n.length() > 55 ? n.substring(0, 55) : n;
    }

    /** The pod of node {@code node} of a block. */
    public static Pod pod(Options o, BlockJob job, int node) {
        String base = podName(job.name());
        List<EnvVar> env = new ArrayList<>();
        new TreeMap<>(job.secrets())
                .keySet()
                .forEach(k -> env.add(new EnvVarBuilder()
                        .withName(k)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(base + "-secrets")
                        .withKey(k)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));
        Map<String, Quantity> requests =
                new TreeMap<>(Map.of("cpu", new Quantity(o.initCpu()), "memory", new Quantity(o.initMem())));
        Map<String, Quantity> limits = new TreeMap<>();
        if (o.maxCpu() != null) {
            limits.put("cpu", new Quantity(o.maxCpu()));
        }
        if (o.maxMem() != null) {
            limits.put("memory", new Quantity(o.maxMem()));
        }
        String script = o.workerInit().isEmpty() ? job.command() : o.workerInit() + "\n" + job.command();
        return new PodBuilder()
                .withNewMetadata()
                .withName(base + "-" + node)
                .withNamespace(o.namespace())
                .addToLabels("app", "gantry")
                .addToLabels(LABEL, base)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(o.serviceAccountName())
                .withNewSecurityContext()
                .withRunAsUser(o.userId())
                .withRunAsGroup(o.groupId())
                .withRunAsNonRoot(o.runAsNonRoot())
                .endSecurityContext()
                .withContainers(new ContainerBuilder()
                        .withName("manager")
                        .withImage(o.image())
                        .withCommand("/bin/bash", "-c", script)
                        .withEnv(env)
                        .withResources(new ResourceRequirementsBuilder()
                                .withRequests(requests)
                                .withLimits(limits)
                                .build())
                        .withNewSecurityContext()
                        .withAllowPrivilegeEscalation(false)
                        .withNewCapabilities()
                        .addToDrop("ALL")
                        .endCapabilities()
                        .endSecurityContext()
                        .build())
                .endSpec()
                .build();
    }

    @Override
    public String submit(BlockJob job) throws ProviderException {
        String base = podName(job.name());
        try {
            if (!job.secrets().isEmpty()) {
                Secret s = new SecretBuilder()
                        .withNewMetadata()
                        .withName(base + "-secrets")
                        .withNamespace(options.namespace())
                        .addToLabels("app", "gantry")
                        .addToLabels(LABEL, base)
                        .endMetadata()
                        .withData(base64(job.secrets()))
                        .build();
                client.secrets().inNamespace(options.namespace()).resource(s).create();
            }
            for (int i = 0; i < job.nodes(); i++) {
                client.pods()
                        .inNamespace(options.namespace())
                        .resource(pod(options, job, i))
                        .create();
            }
            return base;
        } catch (KubernetesClientException e) {
            throw new ProviderException("Kubernetes refused the block's pods: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> base64(Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(
                k, java.util.Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return out;
    }

    @Override
    public Map<String, JobStatus> status(List<String> jobIds) throws ProviderException {
        Map<String, JobStatus> out = new HashMap<>();
        try {
            for (String id : jobIds) {
                List<Pod> pods = client.pods()
                        .inNamespace(options.namespace())
                        .withLabel(LABEL, id)
                        .list()
                        .getItems();
                out.put(id, state(pods));
            }
        } catch (KubernetesClientException e) {
            throw new ProviderException("cannot list the blocks' pods: " + e.getMessage(), e);
        }
        return out;
    }

    /** A block is running while any pod runs; failed if one failed; completed when all succeeded or are gone. */
    static JobStatus state(List<Pod> pods) {
        if (pods.isEmpty()) {
            return JobStatus.of(JobState.COMPLETED);
        }
        boolean running = false;
        boolean pending = false;
        for (Pod p : pods) {
            String phase = p.getStatus() == null || p.getStatus().getPhase() == null
                    ? "Pending"
                    : p.getStatus().getPhase();
            switch (phase) {
                case "Failed" -> {
                    return new JobStatus(
                            JobState.FAILED,
                            p.getMetadata().getName() + ": "
                                    + (p.getStatus().getReason() == null
                                            ? "failed"
                                            : p.getStatus().getReason()));
                }
                case "Running" -> running = true;
                case "Succeeded" -> {}
                default -> pending = true;
            }
        }
        return JobStatus.of(running ? JobState.RUNNING : pending ? JobState.PENDING : JobState.COMPLETED);
    }

    @Override
    public void cancel(List<String> jobIds) throws ProviderException {
        try {
            for (String id : jobIds) {
                client.pods()
                        .inNamespace(options.namespace())
                        .withLabel(LABEL, id)
                        .delete();
                client.secrets()
                        .inNamespace(options.namespace())
                        .withLabel(LABEL, id)
                        .delete();
            }
        } catch (KubernetesClientException e) {
            throw new ProviderException("cannot delete the blocks' pods: " + e.getMessage(), e);
        }
    }
}
