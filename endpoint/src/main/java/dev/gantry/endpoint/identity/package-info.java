/**
 * From a submitter's federated identity to a local account: the identity mapping rules of Globus Connect
 * Server ({@code expression_identity_mapping#1.0.0} and {@code external_identity_mapping#1.0.0}), tried in order;
 * the mapping file, re-read when it changes (a broken new file keeps the old rules); and the account database
 * ({@code getent}).
 */
package dev.gantry.endpoint.identity;
