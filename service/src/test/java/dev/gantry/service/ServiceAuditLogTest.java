package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.TaskMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's audit log of high-assurance tasks (S22): who submitted each, how it ended, who read its outcome
 * and who cancelled it, in an owner-only file; no line for other endpoints' tasks; and while it cannot be
 * written, no task of a high-assurance endpoint is stored or runs.
 */
class ServiceAuditLogTest extends AliceAndBob {

    static List<JsonNode> events(String task) throws Exception {
        Path log = api.home.resolve("service").resolve("audit.log");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode e = Json.mapper().readTree(line);
            if (e.get("task").asText().equals(task)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void whoSubmittedFetchedAndCancelledEachTaskAndHowItEndedAreRecorded() throws Exception {
        String ha = HighAssuranceApiTest.endpoint(alice, "ha-audited", true);
        String pinned = HighAssuranceApiTest.pinned(alice, ha);
        List<String> submitted = TenantIsolationTest.submit(alice, ha, pinned, 2);
        String done = submitted.get(0);
        String cancelled = submitted.get(1);
        try (ScriptedChannel ch = api.channel(ha, alice, 1)) {
            TaskMessage t = TenantIsolationTest.received(ch, done);
            assertThat(api.call("POST", "/v3/tasks/" + cancelled + "/cancel", alice, "{}")
                            .status())
                    .isEqualTo(200);
            TenantIsolationTest.roundTrip(ch, TenantIsolationTest.success(t, HighAssuranceApiTest.RESULT));
        }
        assertThat(api.call("GET", "/v2/tasks/" + done, alice, null).status()).isEqualTo(200);
        String plain = TenantIsolationTest.endpoint(alice, "not-audited");
        String ordinary = TenantIsolationTest.submit(alice, plain, EndpointManagerApiTest.function(alice), 1)
                .get(0);

        List<JsonNode> first = events(done);
        assertThat(first).extracting(e -> e.get("event").asText()).containsExactly("submitted", "success", "fetched");
        assertThat(api.count("tasks WHERE id = '" + done + "' AND owner_id = '"
                        + first.get(0).get("identity").asText() + "'"))
                .as("the submitter")
                .isEqualTo(1);
        assertThat(first.get(0).get("function").asText()).isEqualTo(pinned);
        assertThat(first.get(0).get("endpoint").asText()).isEqualTo(ha);
        assertThat(first.get(0).get("task_group_id").asText()).isEqualTo(submitted.get(2));
        assertThat(first.get(2).get("identity").asText())
                .isEqualTo(first.get(0).get("identity").asText());
        assertThat(events(cancelled))
                .extracting(e -> e.get("event").asText())
                .containsExactly("submitted", "cancelled");
        assertThat(events(ordinary)).as("a plain endpoint's task").isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        api.home.resolve("service").resolve("audit.log"))))
                .isEqualTo("rw-------");
    }

    @Test
    void whileTheLogCannotBeWrittenNoHighAssuranceTaskIsStoredOrRuns() throws Exception {
        ApiFixture shared = api;
        api = new ApiFixture();
        try {
            String carol = api.identity("carol@example.org");
            String ha = HighAssuranceApiTest.endpoint(carol, "ha-unaudited", true);
            String pinned = HighAssuranceApiTest.pinned(carol, ha);
            String plain = TenantIsolationTest.endpoint(carol, "plain");
            Path log = Files.createDirectories(api.home.resolve("service")).resolve("audit.log");
            Files.createSymbolicLink(log, Path.of("/dev/full"));

            ApiFixture.Reply first = AllowedFunctionsApiTest.submit(ha, carol, pinned);
            assertThat(first.status()).as(first.body().toString()).isEqualTo(503);
            assertThat(first.code()).isEqualTo("AUDIT_LOG_UNAVAILABLE");
            assertThat(first.body().get("reason").asText())
                    .contains("audit log")
                    .contains("No space left");
            long stored = api.count("tasks");
            assertThat(api.count("tasks WHERE state <> 'cancelled'"))
                    .as("the batch whose record failed was cancelled before it was queued")
                    .isZero();
            ApiFixture.Reply again = AllowedFunctionsApiTest.submit(ha, carol, pinned);
            assertThat(again.code()).isEqualTo("AUDIT_LOG_UNAVAILABLE");
            assertThat(api.count("tasks"))
                    .as("refused before anything is stored")
                    .isEqualTo(stored);
            assertThat(TenantIsolationTest.submit(carol, plain, EndpointManagerApiTest.function(carol), 1))
                    .as("other endpoints take work as before")
                    .hasSize(2);
        } finally {
            api.close();
            api = shared;
        }
    }
}
