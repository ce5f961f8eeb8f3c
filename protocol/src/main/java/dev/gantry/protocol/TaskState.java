package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a task, with Globus Compute's wire names, and the transitions allowed between them. A result
 * may arrive from any live state (an endpoint can finish a task before its acceptance was recorded).
 */
public enum TaskState {
    RECEIVED("received"),
    WAITING_FOR_EP("waiting-for-ep"),
    WAITING_FOR_NODES("waiting-for-nodes"),
    WAITING_FOR_LAUNCH("waiting-for-launch"),
    RUNNING("running"),
    SUCCESS("success"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    EXPIRED("expired");

    private static final Set<TaskState> ENDS = EnumSet.of(SUCCESS, FAILED, CANCELLED, EXPIRED);
    /**
     * The moves a task may make. A task waiting for its endpoint may go back to waiting at its next attempt
     * (it was sent before its lease was written, and that attempt was lost); retention expires every task,
     * ended or not, once it is older than the service keeps tasks.
     */
    private static final Map<TaskState, Set<TaskState>> NEXT = Map.of(
            RECEIVED, EnumSet.of(WAITING_FOR_EP, FAILED, CANCELLED, EXPIRED),
            WAITING_FOR_EP,
                    EnumSet.of(
                            WAITING_FOR_EP,
                            WAITING_FOR_NODES,
                            WAITING_FOR_LAUNCH,
                            RUNNING,
                            SUCCESS,
                            FAILED,
                            CANCELLED,
                            EXPIRED),
            WAITING_FOR_NODES,
                    EnumSet.of(WAITING_FOR_EP, WAITING_FOR_LAUNCH, RUNNING, SUCCESS, FAILED, CANCELLED, EXPIRED),
            WAITING_FOR_LAUNCH,
                    EnumSet.of(WAITING_FOR_EP, WAITING_FOR_NODES, RUNNING, SUCCESS, FAILED, CANCELLED, EXPIRED),
            RUNNING, EnumSet.of(WAITING_FOR_EP, SUCCESS, FAILED, CANCELLED, EXPIRED),
            SUCCESS, EnumSet.of(EXPIRED),
            FAILED, EnumSet.of(EXPIRED),
            CANCELLED, EnumSet.of(EXPIRED),
            EXPIRED, EnumSet.noneOf(TaskState.class));

    private final String wire;

    TaskState(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return ENDS.contains(this);
    }

    public boolean canMoveTo(TaskState next) {
        return NEXT.get(this).contains(next);
    }

    /** The states the table lets move to {@code to}. */
    public static Set<TaskState> sources(TaskState to) {
        Set<TaskState> out = EnumSet.noneOf(TaskState.class);
        for (TaskState s : values()) {
            if (s.canMoveTo(to)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The states in which a task has not ended. */
    public static Set<TaskState> live() {
        return EnumSet.complementOf(EnumSet.copyOf(ENDS));
    }

    @JsonCreator
    public static TaskState fromWire(String wire) {
        for (TaskState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new GantryException(ApiError.SEMANTICALLY_INVALID, "unknown task state '" + wire + "'");
    }

    /** The states whose wire names may be stored in the database as terminal. */
    public static Set<TaskState> terminal() {
        return ENDS;
    }
}
