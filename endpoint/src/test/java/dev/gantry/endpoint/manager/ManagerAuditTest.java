package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.AuditLog;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A high-assurance manager's audit log and the pipe its user endpoints record through: the manager's side is
 * driven here as the launcher drives it (a line in, an answer out), over real pipes.
 */
class ManagerAuditTest {
    static final LocalUser ALICE =
            new LocalUser("alice", 1001, 1001, List.of(1001), List.of("alice"), "", "/bin/sh", "/");
    final EndpointId manager = EndpointId.random();
    final EndpointId uep = EndpointId.random();

    /** A user endpoint's pipe whose lines the manager answers from {@code audit}, as its launcher does. */
    ManagerAuditPipe pipeTo(ManagerAudit audit) throws IOException {
        PipedInputStream managerReads = new PipedInputStream(1 << 20);
        PipedInputStream uepReads = new PipedInputStream(1 << 16);
        PrintStream toManager = new PrintStream(new PipedOutputStream(managerReads), false, StandardCharsets.UTF_8);
        PipedOutputStream answers = new PipedOutputStream(uepReads);
        ManagerAuditPipe pipe = new ManagerAuditPipe(toManager, uepReads);
        BufferedReader in = new BufferedReader(new InputStreamReader(managerReads, StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (String line;
                        (line = UserEndpointLauncher.boundedLine(in, ManagerAudit.MAX_LINE_CHARS)) != null; ) {
                    String a = audit.fromUserEndpoint(uep, ALICE, 4242, line.substring(ManagerAudit.PREFIX.length()));
                    answers.write((a + "\n").getBytes(StandardCharsets.UTF_8));
                    answers.flush();
                }
            } catch (IOException e) {
                // the test ended
            }
        });
        return pipe;
    }

    static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> Json.read(l, JsonNode.class))
                .toList();
    }

    @Test
    void aUserEndpointsEventsAreInTheManagersLogUnderItsOwnNameBeforeTheRecordReturns(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("audit.log");
        ManagerAudit audit = ManagerAudit.open(file, manager, Clock.systemUTC());
        ManagerAuditPipe pipe = pipeTo(audit);
        TaskId t = TaskId.random();
        List<AuditLog.Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < ManagerAudit.EVENTS_PER_LINE + 3; i++) {
            events.add(new AuditLog.Event(1000 + i, i == 0 ? t : TaskId.random(), 1, "received", null));
        }
        assertThat(pipe.append(events))
                .as("a batch over one line's worth goes as two")
                .isTrue();
        assertThat(pipe.append(List.of(new AuditLog.Event(2000, t, 1, "failed", "X".repeat(500)))))
                .isTrue();
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize(1 + events.size() + 1);
        assertThat(lines.get(0).get("event").asText()).isEqualTo("manager_started");
        assertThat(lines.get(0).get("manager").asText()).isEqualTo(manager.toString());
        JsonNode first = lines.get(1);
        assertThat(first.get("event").asText()).isEqualTo("received");
        assertThat(first.get("task").asText()).isEqualTo(t.toString());
        assertThat(first.get("at_ms").asLong()).isEqualTo(1000);
        assertThat(first.get("user_endpoint").asText()).isEqualTo(uep.toString());
        assertThat(first.get("account").asText()).isEqualTo("alice");
        assertThat(first.get("uid").asInt()).isEqualTo(1001);
        assertThat(first.get("pid").asLong()).isEqualTo(4242);
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.get("event").asText()).isEqualTo("failed");
        assertThat(last.get("detail").asText()).as("a detail is cut short").hasSize(200);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        audit.close();
        assertThat(lines(file).get(lines.size()).get("event").asText()).isEqualTo("manager_stopped");
    }

    @Test
    void aMalformedRecordIsRefusedAndBreaksTheUserEndpointsRecord(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.log");
        ManagerAudit audit = ManagerAudit.open(file, manager, Clock.systemUTC());
        for (String bad : List.of(
                "not json",
                "[{\"at_ms\":1,\"event\":\"received\"}]",
                "[{\"at_ms\":1,\"task\":\"" + TaskId.random() + "\",\"event\":\"rooted\"}]",
                "{\"at_ms\":1}")) {
            assertThat(audit.fromUserEndpoint(uep, ALICE, 1, bad)).as(bad).startsWith(ManagerAudit.BROKEN);
        }
        assertThat(lines(file).stream().skip(1).map(l -> l.get("event").asText()))
                .containsOnly("refused_record");

        ManagerAuditPipe pipe = pipeTo(audit);
        assertThat(pipe.append(List.of("a stranger's line"))).isFalse();
        assertThat(pipe.broken())
                .hasValueSatisfying(why ->
                        assertThat(why).contains("malformed audit record").contains("takes no more tasks"));
        assertThat(pipe.append(List.of(new AuditLog.Event(1, TaskId.random(), 1, "received", null))))
                .as("broken for good")
                .isFalse();
    }

    @Test
    void aLogThatCannotBeWrittenStopsEveryUserEndpointsRecordAndSaysWhy() throws Exception {
        ManagerAudit audit = ManagerAudit.open(Path.of("/dev/full"), manager, Clock.systemUTC());
        assertThat(audit.broken()).as("its first line could not be written").isPresent();
        ManagerAuditPipe pipe = pipeTo(audit);
        assertThat(pipe.append(List.of(new AuditLog.Event(1, TaskId.random(), 1, "received", null))))
                .isFalse();
        assertThat(pipe.broken())
                .hasValueSatisfying(why -> assertThat(why).contains("/dev/full").contains("starts no user endpoint"));
    }

    @Test
    void aManagerThatIsGoneBreaksTheRecord() throws Exception {
        PipedInputStream managerReads = new PipedInputStream();
        PipedInputStream uepReads = new PipedInputStream();
        PipedOutputStream answers = new PipedOutputStream(uepReads);
        ManagerAuditPipe pipe = new ManagerAuditPipe(
                new PrintStream(new PipedOutputStream(managerReads), false, StandardCharsets.UTF_8), uepReads);
        answers.close(); // the manager exited
        assertThat(pipe.append(List.of(new AuditLog.Event(1, TaskId.random(), 1, "received", null))))
                .isFalse();
        assertThat(pipe.broken()).hasValueSatisfying(why -> assertThat(why).contains("no longer keeps"));
    }
}
