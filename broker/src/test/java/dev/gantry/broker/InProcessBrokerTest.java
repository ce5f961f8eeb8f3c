package dev.gantry.broker;

class InProcessBrokerTest extends BrokerContract {
    @Override
    Broker create(int capacityPerEndpoint) {
        return new InProcessBroker(capacityPerEndpoint);
    }
}
