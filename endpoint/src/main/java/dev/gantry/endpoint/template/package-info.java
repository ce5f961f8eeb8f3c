/**
 * Rendering a user endpoint's configuration from the administrator's Jinja template (Jinjava): the user's
 * values are checked against reserved names and the administrator's JSON schema, then every string among them
 * is JSON-encoded so that it renders as one quoted YAML scalar and cannot add keys or template syntax; unknown
 * variables are errors; {@code include}, {@code import} and {@code extends} read only the template's directory.
 */
package dev.gantry.endpoint.template;
