package dev.gantry.protocol.api;

/** An endpoint's engine as it last reported itself; the {@code details} of an endpoint status. */
public record StatusReport(int totalWorkers, int idleWorkers, int pendingTasks, int outstandingTasks, int managers,
        String engineType) {}
