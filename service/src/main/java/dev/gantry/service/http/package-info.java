/**
 * The REST API on Javalin: Globus Compute's paths and JSON, bearer-token authentication on every route but
 * the version, bodies read with a size limit while they stream in, and one error envelope with a stable code
 * for every failure.
 */
package dev.gantry.service.http;
