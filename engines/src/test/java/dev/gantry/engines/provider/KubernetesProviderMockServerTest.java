package dev.gantry.engines.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes provider against fabric8's MOCK API server (CRUD mode; no cluster runs here): pods and their
 * Secret are created as specified (golden file, every option), block states follow pod phases, cancel deletes.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesProviderMockServerTest {
    static KubernetesClient client;

    static final KubernetesProvider.Options ALL = new KubernetesProvider.Options(
            "registry.example/gantry:0.1",
            "science",
            "500m",
            "2",
            "1Gi",
            "4Gi",
            "gantry-runner",
            1000L,
            1000L,
            true,
            "export X=1");
    static final BlockJob JOB = new BlockJob(
            "gantry-Block_7",
            "java -cp '/opt/gantry/lib/*' Manager",
            2,
            Path.of("/unused"),
            Map.of("GANTRY_PILOT_TOKEN", "s3cret"));

    @Test
    void thePodOfEveryOptionMatchesItsGoldenFile() throws Exception {
        Golden.check("kubernetes-pod.yaml", Serialization.asYaml(KubernetesProvider.pod(ALL, JOB, 0)));
    }

    @Test
    void aBlockIsPodsAndASecretThatFollowTheirPhasesAndAreDeletedOnCancel() throws Exception {
        KubernetesProvider k = new KubernetesProvider(ALL, client);
        String job = k.submit(JOB);
        assertThat(job).isEqualTo("gantry-block-7");
        List<Pod> pods = client.pods()
                .inNamespace("science")
                .withLabel("gantry-block", job)
                .list()
                .getItems();
        assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder(job + "-0", job + "-1");
        assertThat(pods.get(0)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .get(0)
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo(job + "-secrets");
        assertThat(client.secrets()
                        .inNamespace("science")
                        .withName(job + "-secrets")
                        .get()
                        .getData())
                .as("the token is in the Secret, not in the pod")
                .containsKey("GANTRY_PILOT_TOKEN");
        assertThat(Serialization.asYaml(pods.get(0))).doesNotContain("s3cret");
        assertThat(k.status(List.of(job)).get(job).state()).isEqualTo(JobState.PENDING);

        phase(job + "-0", "Running");
        assertThat(k.status(List.of(job)).get(job).state()).isEqualTo(JobState.RUNNING);
        phase(job + "-1", "Failed");
        assertThat(k.status(List.of(job)).get(job).state()).isEqualTo(JobState.FAILED);

        k.cancel(List.of(job));
        assertThat(client.pods()
                        .inNamespace("science")
                        .withLabel("gantry-block", job)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(client.secrets()
                        .inNamespace("science")
                        .withLabel("gantry-block", job)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(k.status(List.of(job)).get(job).state()).as("gone: ended").isEqualTo(JobState.COMPLETED);
    }

    private static void phase(String pod, String phase) {
        Pod p = client.pods().inNamespace("science").withName(pod).get();
        p.setStatus(new PodStatusBuilder().withPhase(phase).build());
        client.pods().inNamespace("science").resource(p).updateStatus();
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> new KubernetesProvider.Options(
                        null, null, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("image");
        assertThatThrownBy(() -> new KubernetesProvider.Options(
                        "img", "Bad_NS", null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> new KubernetesProvider.Options(
                        "img", null, "lots", null, null, null, null, null, null, null, null))
                .hasMessageContaining("quantities");
    }
}
