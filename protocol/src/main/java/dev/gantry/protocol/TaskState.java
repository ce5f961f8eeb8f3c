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
    private static final Map<TaskState, Set<TaskState>> NEXT = Map.of(
            RECEIVED, EnumSet.of(WAITING_FOR_EP, FAILED, CANCELLED, EXPIRED),
            WAITING_FOR_EP, EnumSet.of(WAITING_FOR_NODES, WAITING_FOR_LAUNCH, RUNNING, SUCCESS, FAILED, CANCELLED, EXPIRED),
            WAITING_FOR_NODES, EnumSet.of(WAITING_FOR_EP, WAITING_FOR_LAUNCH, RUNNING, SUCCESS, FAILED, CANCELLED),
            WAITING_FOR_LAUNCH, EnumSet.of(WAITING_FOR_EP, RUNNING, SUCCESS, FAILED, CANCELLED),
            RUNNING, EnumSet.of(WAITING_FOR_EP, SUCCESS, FAILED, CANCELLED),
            SUCCESS, EnumSet.noneOf(TaskState.class),
            FAILED, EnumSet.noneOf(TaskState.class),
            CANCELLED, EnumSet.noneOf(TaskState.class),
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

    @JsonCreator
    public static TaskState fromWire(String wire) {
        for (TaskState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new GantryException(ErrorCode.SEMANTICALLY_INVALID, "unknown task state '" + wire + "'");
    }

    /** The states whose wire names may be stored in the database as terminal. */
    public static Set<TaskState> terminal() {
        return ENDS;
    }
}
