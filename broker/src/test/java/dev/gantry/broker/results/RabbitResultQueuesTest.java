package dev.gantry.broker.results;

import dev.gantry.broker.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The result queues on the machine's RabbitMQ, its users kept by the management plugin. */
class RabbitResultQueuesTest extends ResultQueuesContract {
    static final URI API = URI.create("http://127.0.0.1:15672/api");

    @Override
    ResultQueues queues() throws Exception {
        String url = RealServices.rabbitUrl();
        RealServices.require(
                "RabbitMQ's management API",
                "127.0.0.1",
                15672,
                "enable it with: rabbitmq-plugins enable rabbitmq_management (.ci/test-suite does)");
        return new ResultQueues(
                connect(url),
                new RabbitManagement(API, "guest", "guest", "/"),
                URI.create("amqp://127.0.0.1:5672/%2f"),
                ResultQueues.RABBITMQ_ARGUMENTS);
    }

    /** The identities' users go with the test. */
    @AfterEach
    void deleteUsers() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
        for (UUID id : new UUID[] {alice, bob}) {
            http.send(
                    HttpRequest.newBuilder(URI.create(API + "/users/gantry-sdk-" + id))
                            .header("Authorization", auth)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }
}
