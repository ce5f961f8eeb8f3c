package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.Strategy;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.IdentityStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API as a client sees it: Globus Compute's shapes, and a stable error for every bad input. */
class ServiceApiTest {
    static ApiFixture api;
    static String endpoint;
    static String function;
    static final String CODE = Buffers.pack(List.of(Strategy.SHELL.tag("{\"cmd\":\"true\"}")));
    static final String PAYLOAD = Arguments.of(List.of(1)).pack();

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture();
        endpoint = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"ep\"}")
                .body()
                .get("endpoint_id")
                .asText();
        function = api.call("POST", "/v3/functions", "{\"function_name\":\"f\",\"function_code\":" + quote(CODE) + "}")
                .body()
                .get("function_uuid")
                .asText();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    static String quote(String s) {
        return dev.gantry.protocol.Json.write(s);
    }

    static String submitBody(String fn, int n) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            payloads.add(quote(Arguments.of(List.of(i)).pack()));
        }
        return "{\"tasks\":{\"" + fn + "\":[" + String.join(",", payloads) + "]}}";
    }

    @Test
    void versionNeedsNoTokenEverythingElseDoes() throws Exception {
        assertThat(api.call("GET", "/v2/version", null, null).body().asText()).isEqualTo("0.1.0");
        assertThat(api.call("GET", "/v2/version?service=all", null, null)
                        .body()
                        .get("api")
                        .asText())
                .isEqualTo("0.1.0");
        for (String token : new String[] {null, "", "gty_wrong"}) {
            ApiFixture.Reply r = api.call("GET", "/v2/endpoints", token, null);
            assertThat(r.status()).as("token " + token).isEqualTo(401);
            assertThat(r.code()).isEqualTo("UNAUTHORIZED");
            assertThat(r.body().get("http_status_code").asInt()).isEqualTo(401);
        }
    }

    @Test
    void submitReturnsTaskIdsInRequestOrderAndTheyAreQueryable() throws Exception {
        ApiFixture.Reply r = api.call("POST", "/v3/endpoints/" + endpoint + "/submit", submitBody(function, 5));
        assertThat(r.status()).isEqualTo(200);
        JsonNode ids = r.body().get("tasks").get(function);
        assertThat(ids).hasSize(5);
        String group = r.body().get("task_group_id").asText();
        JsonNode members =
                api.call("GET", "/v2/taskgroup/" + group, null).body().get("tasks");
        for (int i = 0; i < 5; i++) {
            assertThat(members.get(i).get("id").asText()).isEqualTo(ids.get(i).asText());
        }
        JsonNode task =
                api.call("GET", "/v2/tasks/" + ids.get(0).asText(), null).body();
        assertThat(task.get("status").asText()).isEqualTo("waiting-for-ep");
        assertThat(task.get("pending").asBoolean()).isTrue();
        JsonNode batch = api.call("POST", "/v2/batch_status", "{\"task_ids\":[" + ids.get(1) + "," + ids.get(2) + "]}")
                .body();
        assertThat(batch.get("response").asText()).isEqualTo("batch");
        assertThat(batch.get("results").size()).isEqualTo(2);
        JsonNode more = api.call(
                        "POST",
                        "/v3/endpoints/" + endpoint + "/submit",
                        "{\"task_group_id\":\"" + group + "\","
                                + submitBody(function, 2).substring(1))
                .body();
        assertThat(more.get("task_group_id").asText()).isEqualTo(group);
    }

    @Test
    void badSubmissionsGetStableCodesAndStoreNothing() throws Exception {
        long tasks = api.count("tasks");
        long groups = api.count("task_groups");
        String path = "/v3/endpoints/" + endpoint + "/submit";
        String unknown = "00000000-0000-4000-8000-000000000000";
        assertError("POST", path, "{\"tasks\": {", 400, "INVALID_JSON");
        assertError("POST", path, "not json at all", 400, "INVALID_JSON");
        assertError("POST", path, "{\"tasks\": {\"" + function + "\": [1, 2]}}", 422, "SEMANTICALLY_INVALID");
        assertError("POST", path, "{\"tasks\": []}", 422, "SEMANTICALLY_INVALID");
        assertError("POST", path, "{\"tasks\": {}}", 422, "SEMANTICALLY_INVALID");
        assertError(
                "POST",
                path,
                "{\"tasks\": {\"" + function + "\": [\"x\"]}, \"create_queue\": \"yes\"}",
                422,
                "SEMANTICALLY_INVALID");
        assertError("POST", path, submitBody(unknown, 1), 404, "FUNCTION_NOT_FOUND");
        assertError("POST", path, submitBody("not-a-uuid", 1), 400, "INVALID_UUID");
        assertError(
                "POST",
                path,
                "{\"task_group_id\":\"" + unknown + "\","
                        + submitBody(function, 1).substring(1),
                404,
                "TASK_GROUP_NOT_FOUND");
        assertError("POST", "/v3/endpoints/" + unknown + "/submit", submitBody(function, 1), 404, "ENDPOINT_NOT_FOUND");
        assertError("POST", "/v3/endpoints/nope/submit", submitBody(function, 1), 400, "INVALID_UUID");
        String big = "{\"tasks\":{\"" + function + "\":[\"" + "x".repeat(10_000_001) + "\"]}}";
        assertError("POST", path, big, 413, "TASK_PAYLOAD_TOO_LARGE");
        assertThat(api.count("tasks")).isEqualTo(tasks);
        assertThat(api.count("task_groups")).isEqualTo(groups);
    }

    @Test
    void aRetriedSubmitWithTheSameIdempotencyKeyGetsTheSameTasksAndCreatesNone() throws Exception {
        String path = "/v3/endpoints/" + endpoint + "/submit";
        String key = "key-" + System.nanoTime();
        String body = "{\"idempotency_key\":\"" + key + "\","
                + submitBody(function, 3).substring(1);
        long tasks = api.count("tasks");
        JsonNode first = api.call("POST", path, body).body();
        JsonNode again = api.call("POST", path, body).body();
        assertThat(again.get("tasks")).isEqualTo(first.get("tasks"));
        assertThat(again.get("task_group_id")).isEqualTo(first.get("task_group_id"));
        assertThat(api.count("tasks") - tasks).isEqualTo(3);
        String other = "{\"idempotency_key\":\"" + key + "\","
                + submitBody(function, 2).substring(1);
        assertError("POST", path, other, 409, "IDEMPOTENCY_KEY_REUSED");
        assertError(
                "POST",
                path,
                "{\"idempotency_key\":\"no spaces\"," + submitBody(function, 1).substring(1),
                422,
                "SEMANTICALLY_INVALID");
        assertThat(api.count("tasks") - tasks).isEqualTo(3);
    }

    @Test
    void badRegistrationsAndLookupsGetStableCodes() throws Exception {
        long functions = api.count("functions");
        assertError(
                "POST",
                "/v3/functions",
                "{\"function_name\": 7, \"function_code\": \"x\"}",
                422,
                "SEMANTICALLY_INVALID");
        assertError("POST", "/v3/functions", "{\"function_name\": \"f\"}", 422, "SEMANTICALLY_INVALID");
        assertError("POST", "/v3/functions", "[", 400, "INVALID_JSON");
        assertThat(api.count("functions")).isEqualTo(functions);
        long endpoints = api.count("endpoints");
        assertError("POST", "/v3/endpoints", "{\"endpoint_name\": \"\"}", 422, "SEMANTICALLY_INVALID");
        assertError(
                "POST",
                "/v3/endpoints",
                "{\"endpoint_name\": \"x\", \"public\": \"true\"}",
                422,
                "SEMANTICALLY_INVALID");
        assertThat(api.count("endpoints")).isEqualTo(endpoints);
        String unknown = "00000000-0000-4000-8000-000000000000";
        assertError("GET", "/v2/functions/" + unknown, null, 404, "FUNCTION_NOT_FOUND");
        assertError("GET", "/v2/functions/x", null, 400, "INVALID_UUID");
        assertError("GET", "/v2/endpoints/" + unknown, null, 404, "ENDPOINT_NOT_FOUND");
        assertError("GET", "/v2/endpoints/" + unknown + "/status", null, 404, "ENDPOINT_NOT_FOUND");
        assertError("GET", "/v2/tasks/" + unknown, null, 404, "TASK_NOT_FOUND");
        assertError("GET", "/v2/tasks/%2e%2e%2fetc", null, 400, "INVALID_UUID");
        assertError("GET", "/v2/taskgroup/" + unknown, null, 404, "TASK_GROUP_NOT_FOUND");
        assertError("POST", "/v2/batch_status", "{\"task_ids\": [\"x\"]}", 400, "INVALID_UUID");
        assertError("GET", "/v9/nothing", null, 404, "ROUTE_NOT_FOUND");
    }

    @Test
    void functionsCanBeFetchedAndDeleted() throws Exception {
        String id = api.call(
                        "POST",
                        "/v3/functions",
                        "{\"function_name\":\"g\",\"function_code\":" + quote(CODE) + ",\"description\":\"d\"}")
                .body()
                .get("function_uuid")
                .asText();
        JsonNode doc = api.call("GET", "/v2/functions/" + id, null).body();
        assertThat(doc.get("function_name").asText()).isEqualTo("g");
        assertThat(doc.get("function_code").asText()).isEqualTo(CODE);
        assertThat(api.call("DELETE", "/v2/functions/" + id, null)
                        .body()
                        .get("result")
                        .asInt())
                .isEqualTo(302);
        assertError("GET", "/v2/functions/" + id, null, 404, "FUNCTION_NOT_FOUND");
        assertError("DELETE", "/v2/functions/" + id, null, 404, "FUNCTION_NOT_FOUND");
        assertError("POST", "/v3/endpoints/" + endpoint + "/submit", submitBody(id, 1), 404, "FUNCTION_NOT_FOUND");
    }

    private static String bundle(String instanceClass, byte[]... classFiles) {
        List<JavaBundle.ClassFile> files = new ArrayList<>();
        for (int i = 0; i < classFiles.length; i++) {
            files.add(new JavaBundle.ClassFile(
                    "demo.C" + i,
                    sha256(classFiles[i]),
                    java.util.Base64.getEncoder().encodeToString(classFiles[i])));
        }
        JavaBundle b = new JavaBundle(
                files,
                null,
                new JavaBundle.Instance(
                        instanceClass, dev.gantry.protocol.Json.mapper().createObjectNode()),
                List.of());
        return Buffers.pack(List.of(Strategy.JAVA_BUNDLE.tag(dev.gantry.protocol.Json.write(b))));
    }

    private static String sha256(byte[] b) throws RuntimeException {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void classFilesSharedByFunctionsAreStoredOnceAndComeBackWhole() throws Exception {
        byte[] shared = ("shared-" + System.nanoTime()).getBytes();
        byte[] own1 = ("own1-" + System.nanoTime()).getBytes();
        byte[] own2 = ("own2-" + System.nanoTime()).getBytes();
        long blobs = api.count("blobs");
        String code1 = bundle("demo.C0", shared, own1);
        String code2 = bundle("demo.C0", shared, own2);
        String id1 = api.call(
                        "POST", "/v3/functions", "{\"function_name\":\"j1\",\"function_code\":" + quote(code1) + "}")
                .body()
                .get("function_uuid")
                .asText();
        String id2 = api.call(
                        "POST", "/v3/functions", "{\"function_name\":\"j2\",\"function_code\":" + quote(code2) + "}")
                .body()
                .get("function_uuid")
                .asText();
        assertThat(api.count("blobs") - blobs)
                .as("three distinct class files among four shipped")
                .isEqualTo(3);
        assertThat(api.call("GET", "/v2/functions/" + id1, null)
                        .body()
                        .get("function_code")
                        .asText())
                .isEqualTo(code1);
        assertThat(api.call("GET", "/v2/functions/" + id2, null)
                        .body()
                        .get("function_code")
                        .asText())
                .isEqualTo(code2);

        String forged = code1.replace(sha256(own1), sha256(own2));
        long functions = api.count("functions");
        assertError(
                "POST",
                "/v3/functions",
                "{\"function_name\":\"j3\",\"function_code\":" + quote(forged) + "}",
                422,
                "SEMANTICALLY_INVALID");
        assertThat(api.count("functions")).isEqualTo(functions);
    }

    @Test
    void endpointsAreListedWithStatusAndCanBeDeleted() throws Exception {
        String id = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"other\",\"display_name\":\"Other\"}")
                .body()
                .get("endpoint_id")
                .asText();
        JsonNode list = api.call("GET", "/v2/endpoints", null).body();
        assertThat(list.findValuesAsText("uuid")).contains(id, endpoint);
        assertThat(api.call("GET", "/v2/endpoints/" + id, null)
                        .body()
                        .get("display_name")
                        .asText())
                .isEqualTo("Other");
        assertThat(api.call("GET", "/v2/endpoints/" + id + "/status", null)
                        .body()
                        .get("status")
                        .asText())
                .isEqualTo("offline");
        assertThat(api.call("DELETE", "/v2/endpoints/" + id, null).status()).isEqualTo(200);
        assertError("GET", "/v2/endpoints/" + id, null, 404, "ENDPOINT_NOT_FOUND");
    }

    /** S4: a modified endpoint that skips the worker's check still cannot store a result over 10 MiB. */
    @Test
    void anEndpointThatSkipsItsResultCheckStillCannotStoreMoreThanTheLimit() throws Exception {
        String ep = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"rogue\"}")
                .body()
                .get("endpoint_id")
                .asText();
        String task = api.call("POST", "/v3/endpoints/" + ep + "/submit", submitBody(function, 1))
                .body()
                .get("tasks")
                .get(function)
                .get(0)
                .asText();
        java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = api.http
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + api.token())
                .buildAsync(
                        java.net.URI.create(
                                api.service.url().replace("http://", "ws://") + "/v3/endpoints/" + ep + "/channel"),
                        ApiFixture.collect(frames))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText(
                        dev.gantry.protocol.Json.write(new dev.gantry.protocol.channel.ChannelMessage.Hello(
                                dev.gantry.protocol.EndpointId.of(ep),
                                java.util.UUID.randomUUID(),
                                "rogue",
                                List.of(),
                                10,
                                1000,
                                2)),
                        true)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"tasks\"") && f.contains(task)));
        long now = System.currentTimeMillis();
        String tooBig = "11\n\"" + "x".repeat(dev.gantry.protocol.Limits.MAX_RESULT_CHARS) + "\"";
        ws.sendText(
                        dev.gantry.protocol.Json.write(new dev.gantry.protocol.channel.ChannelMessage.Results(
                                List.of(new dev.gantry.protocol.channel.TaskResult(
                                        dev.gantry.protocol.TaskId.of(task), 1, tooBig, null, now, now)))),
                        true)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        JsonNode status = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(
                        () -> api.call("GET", "/v2/tasks/" + task, null).body(),
                        s -> !s.get("pending").asBoolean());
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("error_code").asText()).isEqualTo("MAX_RESULT_SIZE_EXCEEDED");
        assertThat(status.has("result")).isFalse();
        ws.abort();
    }

    @Test
    void anotherIdentitySeesNothingOfMine() throws Exception {
        IdentityStore ids = new IdentityStore(api.service.database(), Clock.systemUTC());
        String other = new ApiTokens(api.service.database(), Clock.systemUTC())
                .issue(ids.findOrCreate("someone-else"), null, null)
                .token();
        String task = api.call("POST", "/v3/endpoints/" + endpoint + "/submit", submitBody(function, 1))
                .body()
                .get("tasks")
                .get(function)
                .get(0)
                .asText();
        assertThat(api.call("GET", "/v2/functions/" + function, other, null).status())
                .isEqualTo(404);
        assertThat(api.call("GET", "/v2/endpoints/" + endpoint, other, null).status())
                .isEqualTo(404);
        assertThat(api.call("GET", "/v2/tasks/" + task, other, null).status()).isEqualTo(404);
        assertThat(api.call("POST", "/v3/endpoints/" + endpoint + "/submit", other, submitBody(function, 1))
                        .status())
                .isEqualTo(404);
        ApiFixture.Reply taken = api.call("PUT", "/v3/endpoints/" + endpoint, other, "{\"endpoint_name\":\"mine\"}");
        assertThat(taken.status()).as("not an oracle: as every other route").isEqualTo(404);
        assertThat(taken.code()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(api.call("DELETE", "/v2/version", other, null).status())
                .as("a known route, another method")
                .isEqualTo(405);
        assertThat(api.call("DELETE", "/v2/version", other, null).code()).isEqualTo("METHOD_NOT_ALLOWED");
        String movedDash = task.substring(0, 7) + "-" + task.charAt(7) + task.substring(9);
        assertThat(api.call("GET", "/v2/tasks/" + movedDash, null).code())
                .as("the same UUID in other text is no id")
                .isEqualTo("INVALID_UUID");
        assertThat(api.call("GET", "/v2/endpoints", other, null).body()).isEmpty();
    }

    private static void assertError(String method, String path, String body, int status, String code) throws Exception {
        ApiFixture.Reply r = api.call(method, path, body);
        assertThat(r.status()).as(method + " " + path + " " + abbreviate(body)).isEqualTo(status);
        assertThat(r.code()).as(method + " " + path).isEqualTo(code);
        assertThat(r.body().get("detail").asText()).isNotBlank();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
