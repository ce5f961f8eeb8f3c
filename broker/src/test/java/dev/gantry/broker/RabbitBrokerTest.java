package dev.gantry.broker;

import dev.gantry.protocol.EndpointId;
import java.util.List;
import java.util.UUID;

/** The contract against the real RabbitMQ of this machine, under a prefix of its own that is deleted after. */
class RabbitBrokerTest extends BrokerContract {
    @Override
    Broker create(int capacityPerEndpoint) {
        return new RabbitBroker(RealServices.rabbitUrl(), "gantry-test-" + UUID.randomUUID(), capacityPerEndpoint);
    }

    @Override
    void cleanUp(Broker b, List<EndpointId> endpoints) {
        ((RabbitBroker) b).deleteDeclared(endpoints);
    }
}
