/**
 * The {@code gantry} command: {@code service start}, {@code endpoint} ({@code gep}) {@code configure | start |
 * stop | list}, {@code demo} and {@code version}. Each command is a composition root for its process.
 */
package dev.gantry.cli;
