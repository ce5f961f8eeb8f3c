package dev.gantry.broker;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/** Where the machine's RabbitMQ is; a test that needs it fails in CI (and is skipped, loudly, elsewhere) if not. */
public final class RealServices {
    private RealServices() {}

    public static String rabbitUrl() {
        String url = System.getenv().getOrDefault("GANTRY_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/%2f");
        require("RabbitMQ", "127.0.0.1", 5672, "start it with: rabbitmq-server -detached (.ci/test-suite does)");
        return url;
    }

    public static void require(String what, String host, int port, String how) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (Exception e) {
            String message = what + " is not reachable at " + host + ":" + port + "; " + how;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
    }
}
