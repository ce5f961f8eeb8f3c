package dev.gantry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.EndpointStatus;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.api.TaskGroupDoc;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.sdk.internal.BoundedMap;
import dev.gantry.sdk.internal.FunctionPacker;
import dev.gantry.sdk.internal.OfflineNotice;
import dev.gantry.sdk.internal.PackedFunction;
import dev.gantry.sdk.internal.ResultWatcher;
import dev.gantry.sdk.internal.Submitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs functions on one endpoint, like {@code java.util.concurrent.ExecutorService} but remote. Functions are
 * registered on first use (once per distinct function), submissions are sent in background batches, and
 * each {@link ComputeFuture} completes from the service's result stream. {@link #close()} waits for every
 * future; {@link #shutdownNow()} cancels those not yet sent.
 */
public final class ComputeExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ComputeExecutor.class);

    private record Registered(FunctionId id, Class<?> resultType) {}

    private final Client client;
    private final EndpointId endpoint;
    private final Submitter submitter;
    private final ResultWatcher watcher;
    private final Map<String, Registered> functions = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile ResourceSpec resources;
    private final boolean javaNative;
    private final boolean echoOutput;
    private final int maxInFlight;
    private final boolean highAssurance;
    private final AtomicBoolean onlineChecked = new AtomicBoolean();

    ComputeExecutor(ComputeExecutorBuilder b) {
        this.client = b.client != null ? b.client : Client.fromEnvironment();
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint id");
        this.javaNative = b.javaNative;
        this.echoOutput = b.echoOutput;
        this.maxInFlight = b.maxInFlight;
        this.highAssurance = b.highAssurance;
        this.watcher = new ResultWatcher(client.http(), javaNative);
        JsonNode userConfig =
                b.userEndpointConfig == null ? null : Json.mapper().valueToTree(b.userEndpointConfig);
        JsonNode runtime = Json.mapper().valueToTree(UserRuntime.current());
        this.submitter = new Submitter(
                endpoint,
                b.taskGroup,
                b.batchSize,
                new Submitter.RetryPolicy(b.maxRetries, b.retryUserErrors),
                request -> client.batchRun(endpoint, request.forUser(userConfig, runtime)));
    }

    public static ComputeExecutorBuilder builder() {
        return new ComputeExecutorBuilder();
    }

    /**
     * Runs {@code fn} on each input and returns the results in the inputs' order, with at most
     * {@link ComputeExecutorBuilder#maxInFlight} tasks outstanding at a time. The first task that fails ends it with
     * an {@code ExecutionException} (its cause a {@link TaskExecutionFailed}); the tasks still outstanding are
     * cancelled, the inputs not reached yet never submitted.
     */
    public <A, R> List<R> map(RemoteFunction1<A, R> fn, Iterable<A> inputs)
            throws InterruptedException, ExecutionException {
        Registered packed = pack(fn);
        return BoundedMap.run(inputs, maxInFlight, a -> submitPacked(packed, javaArguments(Arrays.asList(a))));
    }

    public <R> ComputeFuture<R> submit(RemoteFunction0<R> fn) {
        return submitPacked(pack(fn), javaArguments(List.of()));
    }

    public <A, R> ComputeFuture<R> submit(RemoteFunction1<A, R> fn, A a) {
        return submitPacked(pack(fn), javaArguments(Arrays.asList(a)));
    }

    public <A, B, R> ComputeFuture<R> submit(RemoteFunction2<A, B, R> fn, A a, B b) {
        return submitPacked(pack(fn), javaArguments(Arrays.asList(a, b)));
    }

    public <A, B, C, R> ComputeFuture<R> submit(RemoteFunction3<A, B, C, R> fn, A a, B b, C c) {
        return submitPacked(pack(fn), javaArguments(Arrays.asList(a, b, c)));
    }

    public ComputeFuture<ShellResult> submit(ShellFunction fn) {
        return submit(fn, Map.of());
    }

    /** Java functions' arguments: JSON, or Java native serialization where the executor was built with it. */
    private Arguments javaArguments(List<?> args) {
        return javaNative ? Arguments.javaNative(args.toArray()) : Arguments.of(args);
    }

    /** Runs a shell function with its {@code {name}} placeholders filled from {@code kwargs}. */
    public ComputeFuture<ShellResult> submit(ShellFunction fn, Map<String, ?> kwargs) {
        return submitPacked(register(FunctionPacker.pack(fn)), Arguments.of(List.of(), kwargs));
    }

    /** Runs an MPI command with the executor's {@link #resourceSpecification resource specification}. */
    public ComputeFuture<ShellResult> submit(MPIFunction fn) {
        return submit(fn, Map.of());
    }

    /** Runs an MPI command with its {@code {name}} placeholders filled from {@code kwargs}. */
    public ComputeFuture<ShellResult> submit(MPIFunction fn, Map<String, ?> kwargs) {
        if (resources == null) {
            throw new IllegalArgumentException("an MPIFunction needs a resource specification: call"
                    + " resourceSpecification(...) on the executor first");
        }
        return submitPacked(register(FunctionPacker.pack(fn)), Arguments.of(List.of(), kwargs));
    }

    /**
     * The resources of the tasks submitted from now on (Globus Compute's {@code resource_specification}), as
     * its keys: {@code num_nodes}, {@code ranks_per_node}, {@code num_ranks}, {@code launcher_options}; null
     * for none. Checked here and again by the service.
     */
    public ComputeExecutor resourceSpecification(Map<String, ?> spec) {
        this.resources = spec == null ? null : ResourceSpec.parse(Json.mapper().valueToTree(spec));
        return this;
    }

    /** Runs Python source on the endpoint; arguments and the result travel as JSON. */
    public <R> ComputeFuture<R> submit(PythonFunction fn, Class<R> resultType, Object... args) {
        Registered r = functions.computeIfAbsent(
                "py:" + fn.name() + ":" + fn.source(), k -> new Registered(client.registerFunction(fn), resultType));
        return submitPacked(new Registered(r.id(), resultType), Arrays.asList(args));
    }

    /** Registers Java source once (by source and entry point); run it with {@link #submitToRegisteredFunction}. */
    public FunctionId registerSourceCode(String source, String entryPoint) {
        return functions
                .computeIfAbsent(
                        "js:" + entryPoint + ":" + source,
                        k -> new Registered(client.registerSourceCode(source, entryPoint), Object.class))
                .id();
    }

    /** Runs an already registered function (perhaps someone else's) with positional arguments. */
    public <R> ComputeFuture<R> submitToRegisteredFunction(FunctionId function, Class<R> resultType, Object... args) {
        return submitPacked(new Registered(function, resultType), Arrays.asList(args));
    }

    /** Registers {@code fn} now (it is registered on first submit otherwise). */
    public FunctionId registerFunction(RemoteFunction fn) {
        return pack(fn).id();
    }

    private Registered pack(RemoteFunction fn) {
        Registered known = functions.get(FunctionPacker.key(fn));
        return known != null ? known : register(client.packer().pack(fn));
    }

    private Registered register(PackedFunction p) {
        return functions.computeIfAbsent(
                p.key(),
                k -> new Registered(
                        client.register(highAssurance ? p.registration().pinnedTo(endpoint) : p.registration()),
                        p.resultType()));
    }

    @SuppressWarnings("unchecked")
    private <R> ComputeFuture<R> submitPacked(Registered fn, List<?> args) {
        return submitPacked(fn, Arguments.of(args));
    }

    private <R> ComputeFuture<R> submitPacked(Registered fn, Arguments arguments) {
        ComputeFuture<R> future = newFuture();
        String payload = arguments.pack();
        submitter.add(new Submitter.Pending(future, fn.id(), payload, resources, (taskId, group) -> {
            future.taskId(taskId);
            watcher.watchOutput(taskId, future::output);
            watcher.follow(group);
            watcher.watch(taskId, future, (Class<R>) fn.resultType());
        }));
        return future;
    }

    /**
     * Futures for every task of a task group, from any process, as long as the group is within retention
     * (Globus Compute's {@code reload_tasks}): tasks that ended complete at once from the service's replay,
     * the others when they end. Results decode to {@code resultType}.
     */
    public <R> List<ComputeFuture<R>> reloadTasks(TaskGroupId group, Class<R> resultType) {
        TaskGroupDoc doc = client.getTaskGroup(group);
        List<ComputeFuture<R>> out = new ArrayList<>(doc.tasks().size());
        watcher.follow(group);
        for (TaskGroupDoc.Member m : doc.tasks()) {
            ComputeFuture<R> future = newFuture();
            future.taskId(m.id());
            watcher.watchOutput(m.id(), future::output);
            watcher.watch(m.id(), future, resultType);
            out.add(future);
        }
        return out;
    }

    /** At the first submit: says so on standard error if the endpoint is offline (its tasks wait for it). */
    private void warnIfOffline() {
        if (!onlineChecked.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("endpoint-check").start(() -> {
            try {
                EndpointStatus s = client.getEndpointStatus(endpoint);
                if (EndpointStatus.OFFLINE.equals(s.status())) {
                    System.err.println(OfflineNotice.text(endpoint, s.lastHeartbeat(), System.currentTimeMillis()));
                }
            } catch (RuntimeException e) {
                log.debug("could not look up endpoint {}: {}", endpoint, e.toString());
            }
        });
    }

    private <R> ComputeFuture<R> newFuture() {
        warnIfOffline();
        ComputeFuture<R> future = new ComputeFuture<>();
        future.canceller(this::cancelRemote);
        outstanding.add(future);
        future.whenComplete((r, e) -> outstanding.remove(future));
        if (echoOutput) {
            future.onOutput(line -> System.out.println("[" + future.taskId() + "] " + line));
        }
        return future;
    }

    /** Asks the service to cancel the task, off the caller's thread; the future is already cancelled. */
    private void cancelRemote(TaskId task) {
        Thread.ofVirtual().name("cancel-" + task).start(() -> {
            try {
                client.cancelTask(task);
            } catch (RuntimeException e) {
                log.warn("could not cancel task {} on the service: {}", task, e.getMessage());
            }
        });
    }

    /** The task group of this executor's tasks, once the first batch was accepted. */
    public TaskGroupId taskGroupId() {
        return submitter.group();
    }

    /** Futures not yet completed. */
    public int outstanding() {
        return outstanding.size();
    }

    /** Cancels the futures whose tasks were not sent yet and stops; returns how many were cancelled. */
    public int shutdownNow() {
        int n = submitter.shutdownNow().size();
        watcher.close();
        return n;
    }

    /** Stops taking tasks, waits for every outstanding future to complete, then releases the stream. */
    @Override
    public void close() {
        submitter.shutdown();
        for (CompletableFuture<?> f : List.copyOf(outstanding)) {
            try {
                f.join();
            } catch (RuntimeException e) {
                // the caller sees it through the future
            }
        }
        watcher.close();
    }
}
