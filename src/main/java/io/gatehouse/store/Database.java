package io.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.gatehouse.store.crypto.PrivateFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * The durable store: a HikariCP pool over SQLite or PostgreSQL, migrated by Flyway when opened, and bounded
 * worker pools that run every JDBC call, so that callers on an event loop get a {@link Future} and never block.
 * There is one connection per worker, so a worker never waits for a connection another worker holds: the
 * general pool's workers, plus one serial worker for work that must happen one at a time (audit appends), which
 * therefore never ties up the general workers while it queues.
 */
public final class Database implements AutoCloseable {
    static final String MIGRATIONS = "classpath:db/migration";
    /** How long a SQLite writer waits for another connection's write lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    private final HikariDataSource dataSource;
    private final WorkerExecutor workers;
    private final WorkerExecutor serialWorker;

    private Database(HikariDataSource dataSource, WorkerExecutor workers, WorkerExecutor serialWorker) {
        this.dataSource = dataSource;
        this.workers = workers;
        this.serialWorker = serialWorker;
    }

    /**
     * Opens the pool and applies pending migrations. Blocking: call it at startup, before serving, or from a
     * worker thread.
     */
    public static Database open(Vertx vertx, StorageUrl url, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("storage.pool_size must be at least 1");
        }
        if (url.kind() == StorageUrl.Kind.SQLITE) {
            prepareSqliteFile(url.sqliteFile());
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(poolConfig(url, poolSize));
        } catch (RuntimeException e) {
            throw new StorageException("cannot open the database " + url + ": " + rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        String name = "gatehouse-db-" + System.identityHashCode(dataSource);
        return new Database(dataSource, vertx.createSharedWorkerExecutor(name, poolSize),
                vertx.createSharedWorkerExecutor(name + "-serial", 1));
    }

    /** The driver's own words (connection refused, unknown database, …) rather than the pool's wrapper. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static HikariConfig poolConfig(StorageUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gatehouse-db");
        config.setJdbcUrl(url.jdbcUrl());
        config.setMaximumPoolSize(poolSize + 1); // the general workers and the serial one
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(10_000);
        if (url.kind() == StorageUrl.Kind.SQLITE) {
            // WAL lets readers run beside the single writer; IMMEDIATE takes the write lock when a transaction
            // begins, so two transactions never deadlock upgrading from a read lock.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            config.setUsername(url.user());
            if (url.password() != null) {
                config.setPassword(url.password());
            }
        }
        return config;
    }

    /**
     * The data directory is created 0700 and the database file 0600 (SQLite gives its -wal and -shm files the
     * database file's mode), so provider-key ciphertexts and key hashes are readable by the gateway's user only.
     * Existing files keep the mode their owner chose.
     */
    private static void prepareSqliteFile(Path file) {
        try {
            Path dir = file.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                PrivateFiles.createPrivateDirectories(dir);
            }
            try {
                PrivateFiles.createPrivateFile(file);
            } catch (FileAlreadyExistsException existing) {
                // an existing database: opened as it is
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("database migration failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a database worker with a connection in auto-commit mode. */
    public <T> Future<T> run(SqlWork<T> work) {
        return workers.executeBlocking(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                throw new StorageException("database error: " + e.getMessage(), e);
            }
        }, false);
    }

    /** Runs {@code work} in one transaction on a database worker: committed when it returns, rolled back when it throws. */
    public <T> Future<T> inTransaction(SqlWork<T> work) {
        return workers.executeBlocking(() -> transactionally(work), false);
    }

    /** The same as {@link #inTransaction} on the calling thread, for code that already runs on a database worker. */
    <T> T transactionally(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("database error: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on the single serial worker: one task at a time, in the order they were submitted. */
    <T> Future<T> runSerially(Callable<T> work) {
        return serialWorker.executeBlocking(work, true);
    }

    @Override
    public void close() {
        serialWorker.close();
        workers.close();
        dataSource.close();
    }
}
