/**
 * The database adapters: one store per table family, plain JDBC with batched statements, on H2 (the embedded
 * default) or PostgreSQL through the same Flyway migrations. The database is the one source of truth for
 * task state; every multi-row change is one transaction. {@code StoredState} maps the columns to a task's
 * visible state, {@code TaskTransitions} is the only writer of that state, {@code RetryPolicy} the one retry rule.
 */
package dev.gantry.service.store;
