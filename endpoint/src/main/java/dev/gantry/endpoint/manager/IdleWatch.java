package dev.gantry.endpoint.manager;

/**
 * When an idle user endpoint should stop, counted in heartbeat periods: after {@code soft} with nothing received
 * or finished and nothing outstanding, or after {@code hard} with nothing moving even though tasks are
 * outstanding (they may be stuck). A soft limit of 0 never stops.
 */
final class IdleWatch {
    private final int soft;
    private final int hard;
    private long lastActivity = -1;
    private int still;

    IdleWatch(int soft, int hard) {
        this.soft = soft;
        this.hard = hard;
    }

    /** One heartbeat: the endpoint's activity counter and outstanding work now; true when it should stop. */
    boolean beat(long activity, int outstanding) {
        if (activity != lastActivity) {
            lastActivity = activity;
            still = 0;
            return false;
        }
        still++;
        if (soft <= 0) {
            return false;
        }
        return outstanding == 0 ? still >= soft : still >= hard;
    }

    /** Heartbeats since anything moved. */
    int still() {
        return still;
    }
}
