package dev.gantry.service.store;

import dev.gantry.protocol.TaskState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a task's visible {@link TaskState} is stored, both ways: the {@code state} column holds
 * {@code waiting-for-ep} for every waiting task, and a leased one is told apart by {@code dispatched_at} (shown
 * as {@code waiting-for-launch}) and {@code nodes_wait_at} ({@code waiting-for-nodes}): a lease changes no
 * indexed column, so PostgreSQL updates the row in place. Every query and status document reads states
 * through this class.
 */
public final class StoredState {
    private static final Set<TaskState> WAITING =
            EnumSet.of(TaskState.WAITING_FOR_EP, TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_NODES);
    private static final Set<TaskState> LEASED_WAITING =
            EnumSet.of(TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_NODES);

    /** The states of a task leased to its endpoint: it holds the task until its result or its lease ends. */
    public static final Set<TaskState> LEASED =
            EnumSet.of(TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_NODES, TaskState.RUNNING);

    private StoredState() {}

    /** The value of the {@code state} column that stores {@code s}. */
    public static String column(TaskState s) {
        return WAITING.contains(s) ? TaskState.WAITING_FOR_EP.wire() : s.wire();
    }

    /** The visible state of a row. */
    public static TaskState visible(String state, Long dispatchedAt, Long nodesWaitAt) {
        TaskState s = TaskState.fromWire(state);
        if (s != TaskState.WAITING_FOR_EP || dispatchedAt == null) {
            return s;
        }
        return nodesWaitAt != null ? TaskState.WAITING_FOR_NODES : TaskState.WAITING_FOR_LAUNCH;
    }

    /** A SQL condition true for rows of {@code table} (its name or alias in the query) in any of {@code states}. */
    public static String in(Set<TaskState> states, String table) {
        String t = table + ".";
        List<String> any = new ArrayList<>();
        Set<TaskState> waiting = EnumSet.noneOf(TaskState.class);
        List<String> plain = new ArrayList<>();
        for (TaskState s : states) {
            if (WAITING.contains(s)) {
                waiting.add(s);
            } else if (s != TaskState.RECEIVED) { // never stored: a task is waiting once its row exists
                plain.add("'" + s.wire() + "'");
            }
        }
        if (!plain.isEmpty()) {
            any.add(t + "state IN (" + String.join(", ", plain) + ")");
        }
        String w = t + "state = '" + TaskState.WAITING_FOR_EP.wire() + "'";
        if (waiting.equals(WAITING)) {
            any.add(w);
        } else if (waiting.equals(LEASED_WAITING)) {
            any.add("(" + w + " AND " + t + "dispatched_at IS NOT NULL)");
        } else {
            for (TaskState s : waiting) {
                any.add("(" + w + " AND "
                        + switch (s) {
                            case WAITING_FOR_EP -> t + "dispatched_at IS NULL";
                            case WAITING_FOR_LAUNCH ->
                                t + "dispatched_at IS NOT NULL AND " + t + "nodes_wait_at IS NULL";
                            default -> t + "dispatched_at IS NOT NULL AND " + t + "nodes_wait_at IS NOT NULL";
                        }
                        + ")");
            }
        }
        return any.isEmpty() ? "FALSE" : any.size() == 1 ? any.get(0) : "(" + String.join(" OR ", any) + ")";
    }

    /** {@link #in(Set, String)} for the {@code tasks} table under its own name. */
    public static String in(Set<TaskState> states) {
        return in(states, "tasks");
    }

    /** A SQL condition true for tasks that have not ended. */
    public static String live(String table) {
        return in(TaskState.live(), table);
    }
}
