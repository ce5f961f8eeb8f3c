package dev.gantry.sdk.internal;

import dev.gantry.protocol.EndpointId;

/** What the SDK says when a submit goes to an endpoint that is offline. */
public final class OfflineNotice {
    private OfflineNotice() {}

    /** {@code lastHeartbeat}: seconds since the epoch of its last report, or null if it never reported. */
    public static String text(EndpointId endpoint, Double lastHeartbeat, long nowMs) {
        String seen = lastHeartbeat == null
                ? "it has never connected"
                : "last heard from " + Math.max(0, (nowMs - (long) (lastHeartbeat * 1000)) / 1000) + " s ago";
        return "gantry: endpoint " + endpoint + " is offline (" + seen + "); the tasks wait on the service and run"
                + " when it connects. Start it on its host: gantry endpoint start <name>";
    }
}
