/**
 * Runs one task: turns a function's code into something callable (a Java function rebuilt in its own class
 * loader, or a shell command), decodes the JSON arguments into the function's parameter types, calls it and
 * encodes the outcome. The worker's classpath is tiny (protocol and Jackson) because it starts on compute
 * nodes; it is used in-process by the thread engine and as its own JVM ({@link dev.gantry.worker.WorkerMain})
 * by the process engine.
 */
package dev.gantry.worker;
