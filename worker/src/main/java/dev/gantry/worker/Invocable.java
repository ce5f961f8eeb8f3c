package dev.gantry.worker;

import dev.gantry.protocol.payload.Arguments;

/** A function ready to run: arguments in, the strategy-tagged result out. */
interface Invocable {
    /** Runs the function; {@code args} is null when it {@linkplain #decodesItsArguments() decodes them itself}. */
    String invoke(Arguments args, TaskContext context) throws Exception;

    /** True for a function that reads its task's payload as sent (a Python function decodes dill itself). */
    default boolean decodesItsArguments() {
        return false;
    }
}
