package io.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;

/** JDBC work done on a database worker thread with a pooled connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
