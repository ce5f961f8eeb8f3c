package dev.gantry.worker;

import dev.gantry.protocol.payload.Arguments;

/** A function ready to run: arguments in, the strategy-tagged result out. */
interface Invocable {
    String invoke(Arguments args, TaskContext context) throws Exception;
}
