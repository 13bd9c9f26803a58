package io.walkerd.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One SQLite connection and the statements prepared on it, each prepared once and reused. Used by one thread at a
 * time (the writer thread, or whoever borrowed it from the read pool).
 *
 * <p>Every result set is closed before a method returns: a statement left open on a read connection would keep
 * its snapshot, so that connection would stop seeing new commits and the WAL could not be checkpointed past it.
 */
final class Session implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Session(Connection connection) { this.connection = connection; }

    /** Runs a statement that is not worth preparing (a pragma at open time); returns its first value, if any. */
    String pragma(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            if (!st.execute(sql)) return null;
            try (ResultSet rs = st.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Runs a statement (BEGIN, SAVEPOINT, an INSERT...) and returns how many rows it changed. */
    int update(String sql, Object... params) throws SQLException {
        PreparedStatement ps = statement(sql, params);
        return ps.executeUpdate();
    }

    /** The first column of the first row, as text; null when there is no row. */
    String text(String sql, Object... params) throws SQLException {
        try (ResultSet rs = statement(sql, params).executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first column of the first row, as a number; null when there is no row. */
    Long number(String sql, Object... params) throws SQLException {
        try (ResultSet rs = statement(sql, params).executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** The first row's columns, as text; null when there is no row. */
    String[] row(String sql, Object... params) throws SQLException {
        try (ResultSet rs = statement(sql, params).executeQuery()) {
            if (!rs.next()) return null;
            String[] row = new String[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) row[i] = rs.getString(i + 1);
            return row;
        }
    }

    /** The first column of every row as the UTF-8 bytes SQLite keeps (stored documents, parsed from bytes). */
    List<byte[]> documents(String sql, Object... params) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (ResultSet rs = statement(sql, params).executeQuery()) {
            while (rs.next()) out.add(rs.getBytes(1));
        }
        return out;
    }

    /** Every row's first column as text and second as the UTF-8 bytes SQLite keeps: ids and their documents. */
    List<Keyed> keyedDocuments(String sql, Object... params) throws SQLException {
        List<Keyed> out = new ArrayList<>();
        try (ResultSet rs = statement(sql, params).executeQuery()) {
            while (rs.next()) out.add(new Keyed(rs.getString(1), rs.getBytes(2)));
        }
        return out;
    }

    /** A document and the key it was read by. */
    record Keyed(String key, byte[] document) {}

    /** Calls {@code row} with the first column of every row, as text, without collecting them. */
    void eachText(String sql, SqlConsumer<String> row) throws SQLException {
        try (ResultSet rs = statement(sql).executeQuery()) {
            while (rs.next()) row.accept(rs.getString(1));
        }
    }

    private PreparedStatement statement(String sql, Object... params) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) ps.setNull(i + 1, java.sql.Types.NULL);
            else if (p instanceof String s) ps.setString(i + 1, s);
            else if (p instanceof Long l) ps.setLong(i + 1, l);
            else if (p instanceof Integer n) ps.setLong(i + 1, n);
            else throw new IllegalArgumentException("unsupported parameter type " + p);
        }
        return ps;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : prepared.values()) {
            try { ps.close(); } catch (SQLException ignored) { /* the connection is closed next, which frees it */ }
        }
        prepared.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            throw Failures.unavailable("close the database", e);
        }
    }

    @FunctionalInterface
    interface SqlConsumer<T> { void accept(T value) throws SQLException; }

    @FunctionalInterface
    interface SqlWork<T> { T apply(Session session) throws SQLException; }
}
