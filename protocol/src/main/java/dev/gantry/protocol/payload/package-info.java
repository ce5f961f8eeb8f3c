/**
 * Payload framing. A serialized buffer is a 3-character header (two strategy characters and a newline)
 * followed by the strategy's text; several buffers are packed as {@code <length>\n<buffer>} where the length
 * counts characters (Unicode code points), byte for byte as Globus Compute's {@code pack_buffers}. A task's
 * function code is one packed buffer; its arguments are two (positional arguments, keyword arguments).
 */
package dev.gantry.protocol.payload;
