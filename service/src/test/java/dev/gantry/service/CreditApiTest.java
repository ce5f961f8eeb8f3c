package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's credit bounds what it is sent, also when it lowers it while the service is already waiting for
 * tasks for it: an endpoint that drains, or whose audit log broke, says credit 0 and must get nothing more.
 */
class CreditApiTest extends AliceAndBob {

    @Test
    void anEndpointThatLowersItsCreditToZeroIsSentNothingUntilItRaisesIt() throws Exception {
        String ep = TenantIsolationTest.endpoint(alice, "credit");
        String fn = EndpointManagerApiTest.function(alice);
        try (ScriptedChannel ch = api.channel(ep, alice, 10)) {
            // each round, the task comes while the service is polling for the endpoint (a poll waits 500 ms),
            // begun before the credit fell
            for (int round = 0; round < 5; round++) {
                ch.send(new ChannelMessage.Status(null, 0));
                Thread.sleep(50);
                String task = TenantIsolationTest.submit(alice, ep, fn, 1).get(0);
                assertThat(tasksWithin(ch, Duration.ofMillis(1200)))
                        .as("round %d: nothing is sent at credit 0", round)
                        .isEmpty();
                ch.send(new ChannelMessage.Status(null, 10));
                assertThat(ch.next(ChannelMessage.Tasks.class, Duration.ofSeconds(10))
                                .tasks())
                        .singleElement()
                        .satisfies(t -> assertThat(t.task().toString()).isEqualTo(task));
            }
        }
    }

    /** The tasks sent on {@code ch} within {@code d}. */
    static List<String> tasksWithin(ScriptedChannel ch, Duration d) throws InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            ChannelMessage m = ch.received.poll(20, TimeUnit.MILLISECONDS);
            if (m instanceof ChannelMessage.Tasks t) {
                t.tasks().forEach(x -> out.add(x.task().toString()));
            }
        }
        return out;
    }
}
