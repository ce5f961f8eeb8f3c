package dev.gantry.service.store;

import dev.gantry.service.TestBackend;

/** The task stores' contract on PostgreSQL: a fresh database on this machine's server, dropped after each test. */
class PostgresTaskStoreTest extends TaskStoreContract {
    private TestBackend.Postgres pg;

    @Override
    Database open() {
        pg = TestBackend.postgres();
        return Database.open(pg.jdbcUrl(), "postgres", "", 4);
    }

    @Override
    void drop() {
        pg.close();
    }
}
