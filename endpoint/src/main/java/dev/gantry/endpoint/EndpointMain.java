package dev.gantry.endpoint;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.manager.EndpointManager;
import dev.gantry.endpoint.manager.ManagerConfig;
import dev.gantry.engines.Engines;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * An endpoint's composition root, as {@code gantry endpoint start NAME} runs it in the foreground: reads its
 * directory's {@code config.yaml} and runs an endpoint (its engine, its {@code endpoint_setup} and
 * {@code endpoint_teardown}) or, for a config without an engine, an endpoint manager, until it is stopped.
 * Prints {@code >>> Endpoint ID: <uuid> <<<} once registered. Exit codes: 0 stopped, 78 its setup failed.
 */
public final class EndpointMain {
    private EndpointMain() {}

    public static int run(EndpointDir d, String name, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (ManagerConfig.isManager(d.config())) {
            return manager(d, ManagerConfig.read(d.config()), out);
        }
        return endpoint(d, name, EndpointConfig.read(d.config()), out, err);
    }

    private static ServiceClient client(List<String> urls) {
        ServiceClient local = ServiceClient.fromEnvironment();
        return urls.isEmpty() ? local : local.withUrls(urls);
    }

    private static int manager(EndpointDir d, ManagerConfig cfg, PrintStream out) throws InterruptedException {
        EndpointManager m = new EndpointManager(d, cfg, client(cfg.urls()));
        d.writePid(ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            m.close();
            d.removePid();
        }));
        out.println(">>> Endpoint ID: " + m.start() + " <<<");
        out.flush();
        m.awaitStop();
        return 0;
    }

    private static int endpoint(EndpointDir d, String name, EndpointConfig cfg, PrintStream out, PrintStream err)
            throws InterruptedException {
        ServiceClient client = client(cfg.urls());
        if (cfg.python() != null) {
            System.setProperty(dev.gantry.worker.PythonInterpreter.PROPERTY, cfg.python());
        }
        EndpointHooks hooks = new EndpointHooks(cfg, d.dir());
        try {
            hooks.setup();
        } catch (EndpointHooks.SetupFailed e) {
            err.println("endpoint " + name + " did not start: " + e.getMessage());
            return EndpointHooks.EX_CONFIG;
        }
        EndpointAgent agent = new EndpointAgent(d, cfg, client, Engines.create(cfg.engine(), d.tasksDir()));
        d.writePid(ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.drainAndClose(EndpointAgent.DRAIN);
            hooks.teardown();
            d.removePid();
        }));
        out.println(">>> Endpoint ID: " + agent.start() + " <<<");
        out.flush();
        agent.awaitStop();
        hooks.teardown();
        return 0;
    }
}
