package dev.gantry.cli;

import dev.gantry.protocol.GantryHome;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry service start}: runs the service in the foreground until it is stopped. */
@Command(name = "service", description = "Run the Gantry service.", subcommands = ServiceCommand.Start.class)
final class ServiceCommand {

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the service (embedded default: H2 database under the Gantry home, in-process broker).")
    static final class Start implements Callable<Integer> {
        @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
        int port = ServiceConfig.DEFAULT_PORT;

        @Option(names = "--host", description = "Address to listen on (default ${DEFAULT-VALUE}).")
        String host = "127.0.0.1";

        @Override
        public Integer call() throws InterruptedException {
            ServiceConfig embedded = ServiceConfig.embedded(GantryHome.resolve(), port);
            ServiceConfig cfg = new ServiceConfig(embedded.home(), host, port, embedded.jdbcUrl(), embedded.dbUser(),
                    embedded.dbPassword(), embedded.heartbeatPeriodMs(), embedded.maxBodyBytes(),
                    embedded.queueCapacity(), true);
            GantryService service = GantryService.start(cfg);
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stop.countDown();
            }));
            System.out.println("Gantry service listening on " + service.url());
            System.out.println("Credentials for the SDK and CLIs: " + cfg.home().credentialsFile());
            stop.await();
            return 0;
        }
    }
}
