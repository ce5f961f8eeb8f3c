package dev.gantry.worker;

import dev.gantry.protocol.TaskId;
import java.nio.file.Path;

/** Where and as what a task runs. */
public record TaskContext(TaskId task, Path workDir) {}
