package io.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.crypto.PrivateFiles;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tamper-evident audit log. Each entry is chained to the one before by {@link AuditChain}'s hash and goes to
 * the database and then to a JSONL file (mode 0600). Appends are serial: one at a time in this process (on the
 * database's serial worker, so file lines are in chain order), and, across gateway instances sharing the
 * database, by the row lock on {@code audit_head} every append takes first.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final String COLUMNS = "seq, occurred_at, actor, action, target, outcome, request_id, client_address, details, prev_hash, hash";

    private final Database database;
    private final Path file;
    private final Clock clock;

    /** @param file the JSONL copy of the chain; created 0600 (with a 0700 directory) if missing */
    public AuditLog(Database database, Path file, Clock clock) {
        this.database = database;
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public Future<AuditRecord> append(AuditEntry entry) {
        return database.runSerially(() -> {
            AuditRecord record = database.transactionally(connection -> insert(connection, entry));
            writeLine(record);
            return record;
        });
    }

    private AuditRecord insert(Connection connection, AuditEntry entry) throws SQLException {
        // Bumping the head first takes its row lock (PostgreSQL) or the write lock (SQLite) before the head is read.
        try (PreparedStatement bump = connection.prepareStatement("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")) {
            bump.executeUpdate();
        }
        long seq;
        String prevHash;
        try (PreparedStatement head = connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
             ResultSet rows = head.executeQuery()) {
            rows.next();
            seq = rows.getLong(1);
            prevHash = rows.getString(2);
        }
        Instant time = Instant.ofEpochMilli(clock.millis());
        String hash = AuditChain.hash(seq, time, entry, prevHash);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            Sql.setInstant(insert, 2, time);
            insert.setString(3, entry.actor());
            insert.setString(4, entry.action());
            insert.setString(5, entry.target());
            insert.setString(6, entry.outcome());
            insert.setString(7, entry.requestId());
            insert.setString(8, entry.clientAddress());
            insert.setString(9, AuditChain.canonicalDetails(entry.details()));
            insert.setString(10, prevHash);
            insert.setString(11, hash);
            insert.executeUpdate();
        }
        try (PreparedStatement head = connection.prepareStatement("UPDATE audit_head SET hash = ? WHERE id = 1")) {
            head.setString(1, hash);
            head.executeUpdate();
        }
        return new AuditRecord(seq, time, entry.actor(), entry.action(), entry.target(), entry.outcome(), entry.requestId(),
                entry.clientAddress(), entry.details(), prevHash, hash);
    }

    /** After the commit: the database holds the chain of record; a failed file write is logged, not retried. */
    private void writeLine(AuditRecord record) {
        try {
            if (!Files.exists(file)) {
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    PrivateFiles.createPrivateDirectories(dir);
                }
                try {
                    PrivateFiles.createPrivateFile(file);
                } catch (FileAlreadyExistsException raced) {
                    // created meanwhile: append to it
                }
            }
            Files.writeString(file, AuditChain.line(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.error("audit entry {} is in the database but could not be appended to {}: {}", record.seq(), file, e.getMessage());
        }
    }

    /** Newest first. */
    public Future<Page<AuditRecord>> list(AuditQuery query, int limit, int offset) {
        PageRequest page = new PageRequest(null, limit, offset);
        return database.run(connection -> {
            List<String> conditions = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            equal(conditions, values, "action", query.action());
            equal(conditions, values, "actor", query.actor());
            equal(conditions, values, "outcome", query.outcome());
            equal(conditions, values, "target", query.target());
            equal(conditions, values, "request_id", query.requestId());
            if (query.search() != null && !query.search().isBlank()) {
                String like = new PageRequest(query.search(), 1, 0).likePattern();
                conditions.add("(LOWER(action) LIKE ? ESCAPE '\\' OR LOWER(actor) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(target, '')) LIKE ? ESCAPE '\\')");
                values.add(like);
                values.add(like);
                values.add(like);
            }
            if (query.from() != null) {
                conditions.add("occurred_at >= ?");
                values.add(query.from().toEpochMilli());
            }
            if (query.until() != null) {
                conditions.add("occurred_at < ?");
                values.add(query.until().toEpochMilli());
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_log" + where)) {
                bind(count, values);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<AuditRecord> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY seq DESC LIMIT ? OFFSET ?")) {
                bind(select, values);
                select.setInt(values.size() + 1, page.limit());
                select.setInt(values.size() + 2, page.offset());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(record(rows));
                    }
                }
            }
            return new Page<>(items, total, page.limit(), page.offset());
        });
    }

    public Future<Optional<AuditRecord>> get(long seq) {
        return database.run(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq = ?")) {
                select.setLong(1, seq);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(record(rows)) : Optional.<AuditRecord>empty();
                }
            }
        });
    }

    /**
     * Walks the database chain from seq 1: every seq present in order, every hash recomputed, every prev_hash equal
     * to the hash before, and the last entry equal to {@code audit_head}. A modified, deleted, inserted or
     * reordered entry breaks one of these.
     */
    public Future<AuditVerification> verifyDatabase() {
        return database.inTransaction(connection -> {
            ChainWalk walk = new ChainWalk("database");
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
                select.setFetchSize(500);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        AuditVerification broken = walk.next(record(rows));
                        if (broken != null) {
                            return broken;
                        }
                    }
                }
            }
            try (PreparedStatement head = connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                 ResultSet rows = head.executeQuery()) {
                rows.next();
                if (rows.getLong(1) != walk.lastSeq || !rows.getString(2).equals(walk.lastHash)) {
                    return AuditVerification.broken("database", walk.count, walk.lastSeq + 1,
                            "the chain ends at seq " + walk.lastSeq + " but the head records seq " + rows.getLong(1)
                                    + ": entries after it were deleted or the head was altered");
                }
            }
            return AuditVerification.intact("database", walk.count);
        });
    }

    /** {@link #verifyFile(Path)} for this log's file, between appends. */
    public Future<AuditVerification> verifyFile() {
        return database.runSerially(() -> verifyFile(file));
    }

    /**
     * Walks a JSONL file: each line's hash recomputed, and each line chained to the line before. The first line
     * may start after seq 1 (a file begun when the database already held entries); from there on no seq may be
     * missing, repeated or out of order.
     */
    public static AuditVerification verifyFile(Path file) throws IOException {
        String source = file.toString();
        ChainWalk walk = null;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                AuditRecord record;
                try {
                    record = AuditChain.parseLine(line);
                } catch (JsonProcessingException | RuntimeException e) {
                    return AuditVerification.broken(source, walk == null ? 0 : walk.count, lineNumber, "line " + lineNumber + " is not an audit entry");
                }
                if (walk == null) {
                    walk = new ChainWalk(source, record.seq(), record.prevHash());
                }
                AuditVerification broken = walk.next(record);
                if (broken != null) {
                    return broken;
                }
            }
        }
        return AuditVerification.intact(source, walk == null ? 0 : walk.count);
    }

    /** The chain's invariants, checked one entry at a time. */
    private static final class ChainWalk {
        private final String source;
        private long count;
        private long lastSeq;
        private String lastHash;

        ChainWalk(String source) {
            this(source, 1, AuditChain.GENESIS);
        }

        ChainWalk(String source, long firstSeq, String hashBefore) {
            this.source = source;
            this.lastSeq = firstSeq - 1;
            this.lastHash = hashBefore;
        }

        AuditVerification next(AuditRecord record) {
            long expected = lastSeq + 1;
            if (record.seq() != expected) {
                return AuditVerification.broken(source, count, expected, record.seq() > expected
                        ? "seq " + expected + (record.seq() - expected > 1 ? " to " + (record.seq() - 1) : "") + " missing (deleted?)"
                        : "seq " + record.seq() + " appears out of order or twice");
            }
            if (!Objects.equals(record.prevHash(), lastHash)) {
                return AuditVerification.broken(source, count, record.seq(), "prev_hash does not match the entry before it");
            }
            if (!AuditChain.expectedHash(record).equals(record.hash())) {
                return AuditVerification.broken(source, count, record.seq(), "the entry's content does not match its hash (altered)");
            }
            count++;
            lastSeq = record.seq();
            lastHash = record.hash();
            return null;
        }
    }

    private static void equal(List<String> conditions, List<Object> values, String column, String value) {
        if (value != null) {
            conditions.add(column + " = ?");
            values.add(value);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    private static AuditRecord record(ResultSet rows) throws SQLException {
        ObjectNode details;
        try {
            details = (ObjectNode) Json.MAPPER.readTree(rows.getString("details"));
        } catch (JsonProcessingException | ClassCastException e) {
            details = Json.MAPPER.createObjectNode().put("unreadable", true);
        }
        return new AuditRecord(rows.getLong("seq"), Sql.instant(rows, "occurred_at"), rows.getString("actor"),
                rows.getString("action"), rows.getString("target"), rows.getString("outcome"), rows.getString("request_id"),
                rows.getString("client_address"), details, rows.getString("prev_hash"), rows.getString("hash"));
    }
}
