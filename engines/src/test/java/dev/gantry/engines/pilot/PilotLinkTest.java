package dev.gantry.engines.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.worker.Frames;
import java.io.DataOutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The link between an interchange and its managers is TLS 1.3 with the interchange's own certificate: a manager
 * with the engine's secret registers; one without TLS, or trusting another interchange, never gets in.
 */
class PilotLinkTest {
    final List<String> registered = new CopyOnWriteArrayList<>();
    final ManagerListener.Managers managers = new ManagerListener.Managers() {
        @Override
        public void registered(ManagerConnection m) {
            registered.add(m.block);
        }

        @Override
        public void frame(ManagerConnection m, PilotMessage frame) {}

        @Override
        public void lost(ManagerConnection m, String why) {}
    };

    static PilotMessage.Register register(String token, String block) {
        return new PilotMessage.Register(token, block, "node", 1, 1);
    }

    @Test
    void aManagerWithTheSecretRegistersOverTls13AndNothingElseGetsIn() throws Exception {
        PilotLink link = PilotLink.create(Clock.systemUTC());
        try (ManagerListener l = new ManagerListener("127.0.0.1", link, 10_000, Clock.systemUTC(), managers)) {
            l.start();
            String[] hostPort = l.address().split(":");
            int port = Integer.parseInt(hostPort[1]);

            // plain TCP, even with the right token, is not registered: the listener reads a failed handshake
            try (Socket plain = new Socket("127.0.0.1", port)) {
                DataOutputStream out = new DataOutputStream(plain.getOutputStream());
                Frames.write(out, register(link.token(), "plain"));
                out.flush();
                plain.setSoTimeout(5000);
                plain.getInputStream().readAllBytes(); // until the listener closes it (after its TLS alert)
            } catch (java.io.IOException e) {
                // closed with a reset: as good
            }

            // a manager that trusts another interchange's certificate refuses the handshake
            PilotLink.Joining stranger =
                    PilotLink.join(PilotLink.create(Clock.systemUTC()).secret());
            assertThatThrownBy(() -> {
                        try (SSLSocket s = (SSLSocket) stranger.sockets().createSocket("127.0.0.1", port)) {
                            s.startHandshake();
                        }
                    })
                    .isInstanceOf(SSLException.class);

            PilotLink.Joining joining = PilotLink.join(link.secret());
            try (SSLSocket s = (SSLSocket) joining.sockets().createSocket("127.0.0.1", port)) {
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                Frames.write(out, register(joining.token(), "good"));
                out.flush();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered.contains("good"));
            }
            assertThat(registered).containsExactly("good");
        }
    }

    @Test
    void aSecretWithoutTheInterchangesCertificateIsRefused() throws Exception {
        PilotLink link = PilotLink.create(Clock.systemUTC());
        assertThat(link.secret()).startsWith(link.token() + "\n-----BEGIN CERTIFICATE-----");
        assertThatThrownBy(() -> PilotLink.join(link.token()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("no certificate");
    }
}
