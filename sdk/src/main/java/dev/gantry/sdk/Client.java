package dev.gantry.sdk;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.AllowedFunctions;
import dev.gantry.protocol.api.BatchStatusRequest;
import dev.gantry.protocol.api.BatchStatusResponse;
import dev.gantry.protocol.api.DeleteResult;
import dev.gantry.protocol.api.EndpointDoc;
import dev.gantry.protocol.api.EndpointStatus;
import dev.gantry.protocol.api.EndpointSummary;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.FunctionRegistered;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.GroupDoc;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.SubmitResponse;
import dev.gantry.protocol.api.TaskGroupDoc;
import dev.gantry.protocol.api.TaskOutput;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.JavaSource;
import dev.gantry.sdk.internal.FunctionPacker;
import dev.gantry.sdk.internal.Results;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The REST API of a Gantry service, method by method as Globus Compute's {@code Client}. Thread-safe. */
public final class Client {
    private final ServiceClient http;
    private final FunctionPacker packer = new FunctionPacker();

    public Client(ServiceClient http) {
        this.http = http;
    }

    public Client(String serviceUrl, String token) {
        this(new ServiceClient(serviceUrl, token));
    }

    /** A client of a service with several instances: it moves to the next URL when one cannot be reached. */
    public Client(java.util.List<String> serviceUrls, String token) {
        this(new ServiceClient(serviceUrls, token));
    }

    /** A client of the service {@code c} names, with its token, trusting its certificate file if it names one. */
    public static Client of(GantryHome.Credentials c) {
        return new Client(ServiceClient.of(c));
    }

    /** A client from {@code GANTRY_SERVICE_URL}/{@code GANTRY_TOKEN} or the local credentials. */
    public static Client fromEnvironment() {
        return new Client(ServiceClient.fromEnvironment());
    }

    ServiceClient http() {
        return http;
    }

    FunctionPacker packer() {
        return packer;
    }

    public String version() {
        return http.get("/v2/version", String.class);
    }

    public FunctionId registerFunction(RemoteFunction fn) {
        return register(packer.pack(fn).registration());
    }

    /**
     * Registers {@code fn} for every identity of the service to run (Globus Compute's {@code public=True}): how an
     * administrator offers a function that an endpoint's {@code allowed_functions} lists. Only its owner deletes it.
     */
    public FunctionId registerPublicFunction(RemoteFunction fn) {
        return register(packer.pack(fn).registration().publicToAll());
    }

    public FunctionId registerFunction(ShellFunction fn) {
        return register(FunctionPacker.pack(fn).registration());
    }

    public FunctionId registerFunction(MPIFunction fn) {
        return register(FunctionPacker.pack(fn).registration());
    }

    /** Registers Python source, as Globus Compute's {@code register_source_code}. */
    public FunctionId registerFunction(PythonFunction fn) {
        return register(fn.registration());
    }

    /**
     * Registers Java source: one compilation unit, compiled on the endpoint, and its public static entry
     * method as {@code pkg.Class::method}. A compile error fails the task with {@code COMPILE_ERROR} and
     * the compiler's diagnostics.
     */
    public FunctionId registerSourceCode(String source, String entryPoint) {
        JavaSource js = new JavaSource(source, entryPoint);
        return register(new FunctionRegistration(
                js.className() + "." + js.methodName(),
                js.functionCode(),
                null,
                new dev.gantry.protocol.api.FunctionMeta(
                        FunctionPacker.SDK_VERSION,
                        Runtime.version().toString(),
                        null,
                        dev.gantry.protocol.payload.Strategy.JAVA_SOURCE.id())));
    }

    public FunctionId register(FunctionRegistration registration) {
        return http.post("/v3/functions", registration, FunctionRegistered.class)
                .functionUuid();
    }

    public FunctionDoc getFunction(FunctionId id) {
        return http.get("/v2/functions/" + id, FunctionDoc.class);
    }

    public void deleteFunction(FunctionId id) {
        http.delete("/v2/functions/" + id, DeleteResult.class);
    }

    public List<EndpointSummary> getEndpoints() {
        return Arrays.asList(http.get("/v2/endpoints", EndpointSummary[].class));
    }

    public EndpointDoc getEndpointMetadata(EndpointId id) {
        return http.get("/v2/endpoints/" + id, EndpointDoc.class);
    }

    public EndpointStatus getEndpointStatus(EndpointId id) {
        return http.get("/v2/endpoints/" + id + "/status", EndpointStatus.class);
    }

    /** The functions the endpoint runs, if it restricts them (a user endpoint's: its manager's). */
    public AllowedFunctions getAllowedFunctions(EndpointId id) {
        return http.get("/v3/endpoints/" + id + "/allowed_functions", AllowedFunctions.class);
    }

    public void deleteEndpoint(EndpointId id) {
        http.delete("/v2/endpoints/" + id, DeleteResult.class);
    }

    public SubmitResponse batchRun(EndpointId endpoint, SubmitRequest batch) {
        return http.post("/v3/endpoints/" + endpoint + "/submit", batch, SubmitResponse.class);
    }

    /** Runs a registered function once with positional arguments; returns the task id. */
    public TaskId run(EndpointId endpoint, FunctionId function, Object... args) {
        SubmitRequest r = new SubmitRequest(
                null,
                false,
                Map.of(
                        function.toString(),
                        List.of(Arguments.of(Arrays.asList(args)).pack())),
                null,
                null,
                null,
                dev.gantry.sdk.internal.Submitter.JSON_RESULTS);
        return batchRun(endpoint, r).tasks().get(function.toString()).get(0);
    }

    /** Cancels a task (it ends {@code cancelled} unless it had ended) and returns its status. */
    public TaskStatus cancelTask(TaskId id) {
        return http.post("/v3/tasks/" + id + "/cancel", java.util.Map.of(), TaskStatus.class);
    }

    /**
     * What the task wrote (its latest attempt), as the service keeps it, from byte {@code from}: ask again from
     * {@code next} for more. A {@link ComputeFuture} gets the lines live ({@link ComputeFuture#onOutput}).
     */
    public TaskOutput getTaskOutput(TaskId id, long from) {
        return http.get("/v3/tasks/" + id + "/output?from=" + from, TaskOutput.class);
    }

    public TaskStatus getTask(TaskId id) {
        return http.get("/v2/tasks/" + id, TaskStatus.class);
    }

    /** The task's result; {@code TaskPending} (code {@code SEMANTICALLY_INVALID}) while it runs. */
    public <T> T getResult(TaskId id, Class<T> type) {
        TaskStatus s = getTask(id);
        if (s.pending()) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, "task " + id + " is still " + s.status());
        }
        java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
        Results.complete(f, s, type);
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public Map<TaskId, TaskStatus> getBatchResult(Collection<TaskId> ids) {
        BatchStatusResponse r =
                http.post("/v2/batch_status", new BatchStatusRequest(List.copyOf(ids)), BatchStatusResponse.class);
        Map<TaskId, TaskStatus> out = new LinkedHashMap<>();
        r.results().forEach((k, v) -> out.put(TaskId.of(k), v));
        return out;
    }

    public TaskGroupDoc getTaskGroup(TaskGroupId id) {
        return http.get("/v2/taskgroup/" + id, TaskGroupDoc.class);
    }

    /**
     * A new sharing group, owned by this client's identity (its first member). A function registered {@link
     * FunctionRegistration#sharedWith} it is seen and run by its members.
     */
    public GroupDoc createGroup(String name) {
        return http.post("/v3/groups", new GroupDoc.Request(name), GroupDoc.class);
    }

    /** The sharing groups this client's identity belongs to. */
    public List<GroupDoc> getGroups() {
        return http.get("/v3/groups", GroupDoc.Listing.class).groups();
    }

    /** Adds {@code member} (a username or identity id) to a group this client's identity owns. */
    public GroupDoc addGroupMember(UUID group, String member) {
        return http.put(membersPath(group, member), Map.of(), GroupDoc.class);
    }

    /** Removes {@code member} (a username or identity id) from a group this client's identity owns. */
    public GroupDoc removeGroupMember(UUID group, String member) {
        return http.delete(membersPath(group, member), GroupDoc.class);
    }

    private static String membersPath(UUID group, String member) {
        return "/v3/groups/" + group + "/members/" + URLEncoder.encode(member, StandardCharsets.UTF_8);
    }
}
