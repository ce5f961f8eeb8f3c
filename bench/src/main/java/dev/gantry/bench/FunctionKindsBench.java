package dev.gantry.bench;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.MPIFunction;
import dev.gantry.sdk.PythonFunction;
import dev.gantry.sdk.ShellFunction;
import dev.gantry.sdk.ShellResult;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Latency of each kind of function on the embedded default with a thread engine: the first call of a new
 * function (registering, shipping and loading a Java function; compiling Java source) and warm calls.
 */
public final class FunctionKindsBench {
    private FunctionKindsBench() {}

    public static void main(String[] args) throws Exception {
        Path home = ScratchHome.create("gantry-kinds-");
        try (GantryService service = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0))) {
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "kinds");
            EndpointConfig cfg = new EndpointConfig("kinds", new EngineConfig.Thread(2), 5);
            ServiceClient http = ServiceClient.of(service.credentials());
            try (EndpointAgent ep = new EndpointAgent(dir, cfg, http, Engines.create(cfg.engine(), dir.tasksDir()));
                    ComputeExecutor ex = ComputeExecutor.builder()
                            .client(new Client(http))
                            .endpointId(ep.start())
                            .build()) {
                for (int i = 0; i < 2000; i++) { // warm-up of the common path
                    ex.submit(KindsFns.adder(-1), i).join();
                }
                int[] k = {0};
                report(
                        "Java lambda, first call (register + ship + load)",
                        30,
                        () -> ex.submit(KindsFns.adder(++k[0]), 1).join());
                report(
                        "Java lambda, warm call",
                        500,
                        () -> ex.submit(KindsFns.adder(-1), 1).join());
                report("Java source, first call (register + compile + load)", 15, () -> {
                    FunctionId fn = ex.registerSourceCode(source(++k[0]), "Twice::of");
                    return ex.submitToRegisteredFunction(fn, Integer.class, 21).join();
                });
                FunctionId warm = ex.registerSourceCode(source(0), "Twice::of");
                ex.submitToRegisteredFunction(warm, Integer.class, 1).join();
                report(
                        "Java source, warm call",
                        500,
                        () -> ex.submitToRegisteredFunction(warm, Integer.class, 21)
                                .join());
                ShellFunction sh = new ShellFunction("true", 0, 10);
                ex.submit(sh).join();
                report(
                        "shell (bash -c true), warm call",
                        50,
                        () -> ex.submit(sh).join());
                PythonFunction py = new PythonFunction("def add(a, b):\n    return a + b\n", "add");
                ex.submit(py, Integer.class, 1, 2).join();
                report(
                        "Python source (warm python3), warm call",
                        50,
                        () -> ex.submit(py, Integer.class, 1, 2).join());
                ex.resourceSpecification(java.util.Map.of("num_ranks", 2));
                MPIFunction mpi = new MPIFunction("true");
                ShellResult first = ex.submit(mpi).join();
                if (first.returncode() == 0) {
                    report(
                            "MPI (mpiexec -n 2 true), warm call",
                            20,
                            () -> ex.submit(mpi).join());
                } else {
                    System.out.println(
                            "MPI: skipped, mpiexec failed: " + first.stderr().strip());
                }
            }
        }
    }

    private static String source(int k) {
        return "public class Twice {\n  // variant " + k + "\n  public static int of(int x) { return 2 * x; }\n}\n";
    }

    private static void report(String what, int n, Callable<?> call) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            call.call();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf(
                "%-52s p50 %7.2f ms  p90 %7.2f ms  (n=%d)%n", what, t[n / 2] / 1e6, t[(int) (n * 0.9)] / 1e6, n);
    }
}
