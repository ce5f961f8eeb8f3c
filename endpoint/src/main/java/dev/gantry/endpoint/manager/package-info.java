/**
 * The endpoint manager: one process per site that starts a user endpoint for each submitter (each identity,
 * user configuration and runtime). Run as root it maps the submitter's identity to a local account and starts
 * the user endpoint as that account with its privileges dropped; run as anyone else it serves its owner only.
 * A start is a pipeline of small steps ({@link StartPipeline}); the user endpoint renders its own configuration
 * from the administrator's template, as its user ({@link UserEndpointMain}).
 */
package dev.gantry.endpoint.manager;
