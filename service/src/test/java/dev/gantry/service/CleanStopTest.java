package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A service stopped with an endpoint connected, a stream open and tasks in flight logs no warning or error. */
class CleanStopTest {
    @Test
    void aServiceStoppedWhileBusyLogsNoWarningOrError() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        ApiFixture api = new ApiFixture();
        try {
            String endpoint = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"busy\"}")
                    .body()
                    .get("endpoint_id")
                    .asText();
            String function = api.call(
                            "POST",
                            "/v3/functions",
                            "{\"function_name\":\"f\",\"function_code\":" + ServiceApiTest.quote(ServiceApiTest.CODE)
                                    + "}")
                    .body()
                    .get("function_uuid")
                    .asText();
            ScriptedChannel ch = api.channel(endpoint, api.token(), 100);
            var reply = api.call(
                            "POST", "/v3/endpoints/" + endpoint + "/submit", ServiceApiTest.submitBody(function, 300))
                    .body();
            WebSocket stream = api.http
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + api.token())
                    .buildAsync(
                            URI.create(api.service.url().replace("http://", "ws://") + "/v3/stream"),
                            new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            stream.sendText(
                            "{\"type\":\"subscribe\",\"task_group_id\":\""
                                    + reply.get("task_group_id").asText() + "\",\"replay\":true}",
                            true)
                    .get(10, TimeUnit.SECONDS);
            List<TaskResult> results = new ArrayList<>();
            for (TaskMessage t :
                    ch.next(ChannelMessage.Tasks.class, Duration.ofSeconds(10)).tasks()) {
                long now = System.currentTimeMillis();
                results.add(new TaskResult(t.task(), t.attempt(), "11\n1", null, now, now));
            }
            ch.send(new ChannelMessage.Results(results));
            ch.send(new ChannelMessage.Accepted(List.of(), System.currentTimeMillis()));
            root.addAppender(events);
            api.service.close();
            ch.close();
            stream.abort();
        } finally {
            root.detachAppender(events);
            api.close();
        }
        assertThat(events.list)
                .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEmpty();
    }
}
