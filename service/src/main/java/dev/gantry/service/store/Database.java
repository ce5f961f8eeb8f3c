package dev.gantry.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A pooled data source, migrated on open; runs units of work in transactions. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final boolean embedded;

    private Database(HikariDataSource pool, boolean embedded) {
        this.pool = pool;
        this.embedded = embedded;
    }

    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("gantry-db");
        cfg.setAutoCommit(false);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, jdbcUrl.startsWith("jdbc:h2:"));
    }

    /** The embedded default: an H2 file database in PostgreSQL mode at {@code path} (without extension). */
    public static String h2Url(java.nio.file.Path path) {
        return "jdbc:h2:file:" + path.toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH";
    }

    public DataSource dataSource() {
        return pool;
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T tx(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new GantryException(ApiError.SERVICE_UNAVAILABLE, "the database failed: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #tx}, for commits that an answer promises (a submit's 2xx, a registration): on the embedded H2
     * database, which writes commits to its file up to a second later, the commit is flushed to the file before
     * returning, so a killed service keeps it. PostgreSQL commits are durable already.
     */
    public <T> T durableTx(Work<T> work) {
        T out = tx(work);
        if (embedded) {
            tx(c -> {
                try (var st = c.createStatement()) {
                    return st.execute("CHECKPOINT");
                }
            });
        }
        return out;
    }

    /** Runs one statement with positional parameters in its own transaction; returns the rows changed. */
    public int update(String sql, Object... params) {
        return tx(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
