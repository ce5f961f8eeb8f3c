package dev.gantry.service.http;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.api.EndpointMetadata;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.EndpointTarget;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.WorkerRuntimes;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task's status as its client reads it: the details name the Python its endpoint's workers run (Globus
 * Compute's SDK warns when they differ from its own), and Globus Compute's SDK (its user agent starts with
 * {@code globus-sdk}, as the Globus SDK's does) sees its two terminal states only; every other client, Gantry's
 * own among them, sees the precise state. The outcome of a high-assurance endpoint's task is shown only to a
 * sign-in as fresh as the endpoint's policy asks ({@code max_login_age_seconds}), else {@code LOGIN_TOO_OLD},
 * and each read of it goes in the service's audit log.
 */
final class TaskViews {
    private final WorkerRuntimes runtimes;
    private final EndpointStore endpoints;
    private final TaskAudit audit;
    private final Clock clock;
    private final String version;

    TaskViews(WorkerRuntimes runtimes, EndpointStore endpoints, TaskAudit audit, Clock clock, String version) {
        this.runtimes = runtimes;
        this.endpoints = endpoints;
        this.audit = audit;
        this.clock = clock;
        this.version = version;
    }

    List<TaskStatus> show(Context ctx, List<TaskStatus> statuses) {
        requireFreshLoginForHighAssurance(ctx, statuses);
        audit.fetched(Auth.identity(ctx), statuses);
        Map<EndpointId, EndpointMetadata> byEndpoint = runtimes.of(statuses.stream()
                .map(s -> s.details() == null ? null : s.details().endpointId())
                .filter(Objects::nonNull)
                .toList());
        boolean globusCompute = globusComputeClient(ctx);
        return statuses.stream()
                .map(s -> {
                    TaskStatus shown = s.details() == null
                            ? s
                            : s.withDetails(s.details()
                                    .withWorker(byEndpoint.get(s.details().endpointId()), version));
                    return globusCompute ? shown.forGlobusCompute() : shown;
                })
                .toList();
    }

    private void requireFreshLoginForHighAssurance(Context ctx, List<TaskStatus> statuses) {
        statuses.stream()
                .filter(s -> !s.pending() && s.details() != null && s.details().endpointId() != null)
                .map(s -> s.details().endpointId())
                .distinct()
                .filter(endpoints::highAssurance)
                .forEach(e -> endpoints
                        .target(e)
                        .map(EndpointTarget::policy)
                        .ifPresent(
                                p -> p.requireFreshLogin(Auth.loginAt(ctx), clock.millis(), "fetch the result again")));
    }

    TaskStatus show(Context ctx, TaskStatus status) {
        return show(ctx, List.of(status)).get(0);
    }

    static boolean globusComputeClient(Context ctx) {
        String agent = ctx.header("User-Agent");
        return agent != null && agent.startsWith("globus-sdk");
    }
}
