package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Globus Compute's own SDK needs of the REST API beyond Gantry's: its terminal states, the workers'
 * Python in task details, {@code stop_endpoint}'s lock, the resource specifications and result serializers its
 * users send, and a version floor it checks.
 */
class GlobusComputeWireApiTest extends AliceAndBob {
    static final String SDK = "globus-sdk-py-4.9.0/globus-compute-sdk-4.15.0";
    static final String METADATA = ",\"metadata\":{\"hostname\":\"h\",\"python_version\":\"3.11.2\","
            + "\"dill_version\":\"0.3.6\",\"os\":\"Linux-test\"}";

    static String submit(String token, String endpoint, String extra) throws Exception {
        String fn = AllowedFunctionsApiTest.function(token, false);
        ApiFixture.Reply r = api.call(
                "POST",
                "/v3/endpoints/" + endpoint + "/submit",
                token,
                "{\"tasks\":{\"" + fn + "\":[" + Json.write(ServiceApiTest.PAYLOAD) + "]}" + extra + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().get("tasks").get(fn).get(0).asText();
    }

    static String endpoint(String token, String name) throws Exception {
        ApiFixture.Reply r =
                api.call("POST", "/v3/endpoints", token, "{\"endpoint_name\":\"" + name + "\"" + METADATA + "}");
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("endpoint_id").asText();
    }

    @Test
    void aCancelledTaskIsFailedToTheSdkAndCancelledToEveryoneElse() throws Exception {
        String ep = endpoint(alice, "wire-cancel");
        String task = submit(alice, ep, "");
        assertThat(api.call("POST", "/v3/tasks/" + task + "/cancel", alice, "{}")
                        .status())
                .isEqualTo(200);

        JsonNode sdk = api.call("GET", "/v2/tasks/" + task, alice, null, SDK).body();
        assertThat(sdk.get("status").asText()).isEqualTo("failed");
        assertThat(sdk.get("pending").asBoolean()).isFalse();
        assertThat(sdk.get("exception").asText()).contains("cancelled");
        assertThat(sdk.get("error_code").asText()).isEqualTo("TASK_CANCELLED");
        JsonNode batch = api.call("POST", "/v2/batch_status", alice, "{\"task_ids\":[\"" + task + "\"]}", SDK)
                .body();
        assertThat(batch.get("results").get(task).get("status").asText()).isEqualTo("failed");

        assertThat(api.call("GET", "/v2/tasks/" + task, alice, null)
                        .body()
                        .get("status")
                        .asText())
                .isEqualTo("cancelled");
    }

    @Test
    void taskDetailsNameTheWorkersPythonAndTheEndpoint() throws Exception {
        String ep = endpoint(alice, "wire-details");
        String task = submit(alice, ep, "");
        JsonNode details =
                api.call("GET", "/v2/tasks/" + task, alice, null, SDK).body().get("details");
        assertThat(details.get("python_version").asText()).isEqualTo("3.11.2");
        assertThat(details.get("dill_version").asText()).isEqualTo("0.3.6");
        assertThat(details.get("os").asText()).isEqualTo("Linux-test");
        assertThat(details.get("endpoint_id").asText()).isEqualTo(ep);
        assertThat(details.get("globus_compute_sdk_version").asText()).startsWith("gantry-");
    }

    @Test
    void stopEndpointLocksItClosesItsChannelAndOnlyItsOwnerMayDoIt() throws Exception {
        String ep = endpoint(alice, "wire-lock");
        try (ScriptedChannel ch = api.channel(ep, alice)) {
            assertThat(api.call("POST", "/v3/endpoints/" + ep + "/lock", bob, "{}", SDK)
                            .status())
                    .as("another identity's endpoint does not exist for bob")
                    .isEqualTo(404);
            ApiFixture.Reply lock = api.call("POST", "/v3/endpoints/" + ep + "/lock", alice, "{}", SDK);
            assertThat(lock.status()).isEqualTo(200);
            assertThat(lock.body().get("endpoint_id").asText()).isEqualTo(ep);
            assertThat(lock.body().get("lock_expiration_timestamp").asDouble())
                    .isGreaterThan(System.currentTimeMillis() / 1000.0);
            assertThat(ch.next(ChannelMessage.Stop.class, Duration.ofSeconds(10))
                            .reason())
                    .contains("locked");
            assertThat(ch.closed().get(15, TimeUnit.SECONDS)).isEqualTo(1000);
        }
        ApiFixture.Reply again = api.call("PUT", "/v3/endpoints/" + ep, alice, "{\"endpoint_name\":\"wire-lock\"}");
        assertThat(again.status()).isEqualTo(423);
        assertThat(again.code()).isEqualTo("ENDPOINT_LOCKED");
        assertThat(again.body().get("detail").asText()).contains("locked until");
    }

    @Test
    void theSpecificationsAndSerializersItsUsersSendAreTakenAndBadOnesRefused() throws Exception {
        String ep = endpoint(alice, "wire-spec");
        submit(alice, ep, ",\"resource_specification\":{\"num_nodes\":1}");
        submit(alice, ep, ",\"resource_specification\":{\"priority\":3}");
        submit(
                alice,
                ep,
                ",\"result_serializers\":[\"globus_compute_sdk.serialize.concretes.JSONData\","
                        + "\"globus_compute_sdk.serialize.DillDataBase64\"]");
        String fn = AllowedFunctionsApiTest.function(alice, false);
        ApiFixture.Reply bad = api.call(
                "POST",
                "/v3/endpoints/" + ep + "/submit",
                alice,
                "{\"tasks\":{\"" + fn + "\":[" + Json.write(ServiceApiTest.PAYLOAD)
                        + "]},\"result_serializers\":[\"os.system\"]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("detail").asText()).contains("'os.system' is not a serialization strategy");

        JsonNode version =
                api.call("GET", "/v2/version?service=all", alice, null, SDK).body();
        assertThat(version.get("min_sdk_version").asText()).isEqualTo("2.3.0");
    }
}
