package dev.gantry.service.channel;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.service.UserEndpointStarts;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.EndpointTarget;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import dev.gantry.service.store.StartRequests;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance that holds an endpoint manager's channel sends it the start requests announced on its control
 * topic, each with a fresh token scoped to the user endpoint's channel, and records the manager's answers. A
 * token is kept only if its request started a new process; that process's predecessors' tokens are revoked,
 * so a user endpoint has one live token.
 */
final class StartRelay {
    private static final Logger log = LoggerFactory.getLogger(StartRelay.class);
    private final StartRequests requests;
    private final Clock clock;
    private final IdentityStore identities;
    private final ApiTokens apiTokens;
    private final EndpointStore endpoints;
    /** The token sent with each request not yet answered (this instance holds the manager's channel). */
    private final Map<java.util.UUID, String> tokens =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<java.util.UUID, String> e) {
                    return size() > 10_000;
                }
            });

    StartRelay(
            StartRequests requests,
            IdentityStore identities,
            ApiTokens apiTokens,
            EndpointStore endpoints,
            Clock clock) {
        this.clock = clock;
        this.requests = requests;
        this.identities = identities;
        this.apiTokens = apiTokens;
        this.endpoints = endpoints;
    }

    /** Sends the manager the start requests among {@code notices} (off the broker's thread). */
    void forward(EndpointConnection manager, List<TaskStatus> notices) {
        List<TaskStatus> starts = notices.stream()
                .filter(n -> UserEndpointStarts.START_NOTICE.equals(n.status()))
                .toList();
        if (!starts.isEmpty()) {
            Thread.ofVirtual().name("start-forward").start(() -> starts.forEach(n -> send(manager, n)));
        }
    }

    private void send(EndpointConnection manager, TaskStatus notice) {
        try {
            requests.unanswered(notice.taskId().value(), manager.endpoint()).ifPresent(r -> {
                Identity who = identities.byId(r.identity()).orElseThrow();
                EndpointTarget m = endpoints.target(manager.endpoint()).orElseThrow();
                String token = apiTokens.issueScoped(
                        new Identity(m.owner(), null), r.userEndpoint().value());
                tokens.put(r.requestId(), token);
                manager.sender.send(new ChannelMessage.StartUserEndpoint(
                        r.userEndpoint(),
                        r.requestId(),
                        r.requestedAt(),
                        List.of(Map.of("id", who.id().toString(), "username", who.username())),
                        r.userConfig(),
                        r.userRuntime(),
                        token,
                        "/v3/endpoints/" + r.userEndpoint() + "/channel"));
            });
        } catch (RuntimeException e) {
            log.warn(
                    "could not send start request {} to endpoint manager {}: {}",
                    notice.taskId(),
                    manager.endpoint(),
                    e.toString());
            requests.answer(
                    notice.taskId().value(),
                    manager.endpoint(),
                    "the service could not reach the endpoint manager",
                    clock.millis());
        }
    }

    /** Revokes every token that opens only user endpoint {@code id}'s channel. */
    void revokeCredentials(EndpointId id) {
        apiTokens.revokeScoped(id.value());
    }

    void answered(EndpointId manager, ChannelMessage.StartAnswer a) {
        if (a.requestId() == null
                || !requests.answer(
                        a.requestId(), manager, a.error() == null ? null : truncate(a.error()), clock.millis())) {
            log.warn(
                    "endpoint manager {} answered start request {}, which it was not sent or answered before",
                    manager,
                    a.requestId());
            return;
        }
        String token = tokens.remove(a.requestId());
        if (token != null && a.userEndpoint() != null) {
            if (a.error() == null && a.started()) {
                apiTokens.revokeScopedExcept(a.userEndpoint().value(), token);
            } else {
                apiTokens.revokeSecret(token);
            }
        }
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
