package dev.gantry.endpoint.manager;

import dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The first step: a start command must be whole, issued within {@link #MAX_SKEW_MS} of this host's clock
 * (either way), and new: a request id seen before is a replay. Ids are remembered for twice the window, so a
 * replay is refused either as seen or as stale.
 */
final class StartCheck {
    static final long MAX_SKEW_MS = 180_000;
    private static final int MAX_REMEMBERED = 100_000;
    private final Clock clock;
    private final Map<UUID, Long> seen = new LinkedHashMap<>();

    StartCheck(Clock clock) {
        this.clock = clock;
    }

    synchronized void check(StartUserEndpoint c) {
        if (c.userEndpoint() == null
                || c.requestId() == null
                || c.identities() == null
                || c.identities().isEmpty()
                || c.token() == null
                || c.token().isBlank()
                || c.channelPath() == null) {
            throw new StartRefused("the start command is incomplete", "start command lacks fields: " + c);
        }
        for (Map<String, String> id : c.identities()) {
            if (id == null || id.get("id") == null || id.get("username") == null) {
                throw new StartRefused("the start command names an identity without id or username");
            }
        }
        long now = clock.millis();
        if (Math.abs(now - c.issuedAtMs()) > MAX_SKEW_MS) {
            throw new StartRefused("the start command is stale or from the future (issued "
                    + (now - c.issuedAtMs()) / 1000 + " s ago; at most " + MAX_SKEW_MS / 1000 + " s either way)");
        }
        forgetBefore(now - 2 * MAX_SKEW_MS);
        if (seen.putIfAbsent(c.requestId(), now) != null) {
            throw new StartRefused("the start command " + c.requestId() + " was received before (a replay)");
        }
        if (seen.size() > MAX_REMEMBERED) {
            seen.remove(seen.keySet().iterator().next());
        }
    }

    private void forgetBefore(long oldest) {
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next() >= oldest) {
                return;
            }
            it.remove();
        }
    }
}
