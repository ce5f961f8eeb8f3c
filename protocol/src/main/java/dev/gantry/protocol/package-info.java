/**
 * What crosses a process boundary in Gantry: typed ids, task states and their transition table, the REST
 * documents shared by the service and its clients, the endpoint channel and result stream messages, the
 * stable error codes, and the payload framing (Globus Compute's 3-character strategy header and
 * length-prefixed buffers). Everything here is an immutable record or enum, encoded with {@link Json}.
 */
package dev.gantry.protocol;
