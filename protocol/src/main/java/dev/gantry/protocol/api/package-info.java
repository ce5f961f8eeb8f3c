/**
 * The REST documents of the service, with Globus Compute's paths' JSON field names (snake_case through
 * {@link dev.gantry.protocol.Json}). Gantry adds fields, never renames them. Compact constructors validate
 * what a client sends, so a bad document fails while it is read, before anything is stored.
 */
package dev.gantry.protocol.api;
