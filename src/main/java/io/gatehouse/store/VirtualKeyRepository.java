package io.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.pipeline.Json;
import io.vertx.core.Future;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Virtual keys: creation (for active projects only), lookup by hash, lists, revocation, and the lifetime quota,
 * which is spent by one conditional {@code UPDATE} so that concurrent requests on any number of gateway
 * instances never overspend it.
 */
public final class VirtualKeyRepository {
    private static final String COLUMNS = "k.id, k.project_id, k.name, k.key_hash, k.key_prefix, k.expires_at, k.revoked_at, "
            + "k.max_requests, k.request_count, k.allowed_models, k.metadata, k.created_at, k.last_used_at";
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final Database database;
    private final Clock clock;

    public VirtualKeyRepository(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Fails with {@link StoreRejection} {@code NOT_FOUND} or {@code PROJECT_INACTIVE}. */
    public Future<VirtualKey> create(NewVirtualKey spec) {
        String id = UUID.randomUUID().toString();
        Instant now = now();
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT is_active FROM projects WHERE id = ?")) {
                select.setString(1, spec.projectId());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new StoreRejection(StoreRejection.Reason.NOT_FOUND, "no project with id " + spec.projectId());
                    }
                    if (!rows.getBoolean(1)) {
                        throw new StoreRejection(StoreRejection.Reason.PROJECT_INACTIVE, "cannot create keys for inactive projects");
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO virtual_keys (id, project_id, name, key_hash, "
                    + "key_prefix, expires_at, max_requests, allowed_models, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, spec.projectId());
                insert.setString(3, spec.name());
                insert.setString(4, spec.keyHash());
                insert.setString(5, spec.keyPrefix());
                Sql.setInstant(insert, 6, spec.expiresAt());
                Sql.setLong(insert, 7, spec.maxRequests());
                insert.setString(8, Json.writeString(spec.allowedModels()));
                insert.setString(9, Json.writeString(spec.metadata()));
                Sql.setInstant(insert, 10, now);
                insert.executeUpdate();
            }
            return read(connection, "k.id = ?", id).orElseThrow().key();
        });
    }

    public Future<Optional<VirtualKey>> get(String id) {
        return database.run(connection -> read(connection, "k.id = ?", id).map(KeyLookup::key));
    }

    /** The key whose secret hashes to {@code keyHash}, with its project's active flag; what authentication needs. */
    public Future<Optional<KeyLookup>> findByHash(String keyHash) {
        return database.run(connection -> read(connection, "k.key_hash = ?", keyHash));
    }

    /**
     * Newest first, optionally of one project; {@link PageRequest#search()} matches a substring of the key's name.
     *
     * @param projectId null for the keys of every project
     */
    public Future<Page<VirtualKey>> list(String projectId, PageRequest request) {
        return database.run(connection -> {
            List<String> conditions = new ArrayList<>();
            List<String> values = new ArrayList<>();
            if (projectId != null) {
                conditions.add("k.project_id = ?");
                values.add(projectId);
            }
            if (request.search() != null) {
                conditions.add("LOWER(COALESCE(k.name, '')) LIKE ? ESCAPE '\\'");
                values.add(request.likePattern());
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM virtual_keys k" + where)) {
                for (int i = 0; i < values.size(); i++) {
                    count.setString(i + 1, values.get(i));
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<VirtualKey> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", p.is_active AS project_active "
                    + "FROM virtual_keys k JOIN projects p ON p.id = k.project_id" + where
                    + " ORDER BY k.created_at DESC, k.id LIMIT ? OFFSET ?")) {
                int index = 1;
                for (String value : values) {
                    select.setString(index++, value);
                }
                select.setInt(index++, request.limit());
                select.setInt(index, request.offset());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(lookup(rows).key());
                    }
                }
            }
            return new Page<>(items, total, request.limit(), request.offset());
        });
    }

    /**
     * Applies {@code changes}; the caller drops the key from the lookup cache afterwards. Revoking a revoked key
     * keeps its first revocation time, so a repeated DELETE is harmless.
     *
     * @return the key as it is now; empty when there is no such key
     */
    public Future<Optional<VirtualKey>> update(String id, KeyChanges changes) {
        Instant now = now();
        return database.inTransaction(connection -> {
            Optional<KeyLookup> found = read(connection, "k.id = ?", id);
            if (found.isEmpty()) {
                return Optional.<VirtualKey>empty();
            }
            VirtualKey before = found.get().key();
            Instant revokedAt = changes.active() == null ? before.revokedAt()
                    : changes.active() ? null : before.revokedAt() == null ? now : before.revokedAt();
            Long maxRequests = changes.maxRequests() == null ? before.maxRequests()
                    : changes.maxRequests() == 0 ? null : changes.maxRequests();
            try (PreparedStatement update = connection.prepareStatement("UPDATE virtual_keys SET name = ?, revoked_at = ?, "
                    + "max_requests = ?, expires_at = ?, allowed_models = ?, metadata = ? WHERE id = ?")) {
                update.setString(1, changes.name() == null ? before.name() : changes.name());
                Sql.setInstant(update, 2, revokedAt);
                Sql.setLong(update, 3, maxRequests);
                Sql.setInstant(update, 4, changes.expiresAt() == null ? before.expiresAt() : changes.expiresAt());
                update.setString(5, Json.writeString(changes.allowedModels() == null ? before.allowedModels() : changes.allowedModels()));
                update.setString(6, Json.writeString(changes.metadata() == null ? before.metadata() : changes.metadata()));
                update.setString(7, id);
                update.executeUpdate();
            }
            return read(connection, "k.id = ?", id).map(KeyLookup::key);
        });
    }

    /** Revokes every usable key of the project. @return the revoked keys' hashes, for the lookup cache */
    public Future<List<String>> revokeAll(String projectId) {
        Instant now = now();
        return database.inTransaction(connection -> revokeAllOfProject(connection, projectId, now));
    }

    static List<String> revokeAllOfProject(Connection connection, String projectId, Instant now) throws SQLException {
        List<String> hashes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT key_hash FROM virtual_keys WHERE project_id = ? AND revoked_at IS NULL")) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hashes.add(rows.getString(1));
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE virtual_keys SET revoked_at = ? WHERE project_id = ? AND revoked_at IS NULL")) {
            Sql.setInstant(update, 1, now);
            update.setString(2, projectId);
            update.executeUpdate();
        }
        return hashes;
    }

    /**
     * Spends one request of the key's lifetime quota, if the key may be used now. The check and the increment are
     * one statement, so of N concurrent calls on a key with {@code k} requests left exactly {@code k} succeed,
     * whatever the number of connections or gateway instances. When nothing was spent, a second read says why.
     */
    public Future<ConsumeOutcome> consume(String keyId) {
        Instant now = now();
        return database.run(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE virtual_keys SET request_count = request_count + 1, "
                    + "last_used_at = ? WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) "
                    + "AND (max_requests IS NULL OR request_count < max_requests) "
                    + "AND EXISTS (SELECT 1 FROM projects p WHERE p.id = virtual_keys.project_id AND p.is_active = ?)")) {
                Sql.setInstant(update, 1, now);
                update.setString(2, keyId);
                Sql.setInstant(update, 3, now);
                update.setBoolean(4, true);
                if (update.executeUpdate() == 1) {
                    return ConsumeOutcome.ACCEPTED;
                }
            }
            return read(connection, "k.id = ?", keyId).map(found -> refusal(found, now)).orElse(ConsumeOutcome.NOT_FOUND);
        });
    }

    private static ConsumeOutcome refusal(KeyLookup found, Instant now) {
        VirtualKey key = found.key();
        if (!key.active()) {
            return ConsumeOutcome.REVOKED;
        }
        if (key.expiredAt(now)) {
            return ConsumeOutcome.EXPIRED;
        }
        if (!found.projectActive()) {
            return ConsumeOutcome.PROJECT_INACTIVE;
        }
        return ConsumeOutcome.QUOTA_EXHAUSTED;
    }

    /** Requests spent by all keys of the project, revoked ones included. */
    public Future<Long> projectRequestCount(String projectId) {
        return database.run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COALESCE(SUM(request_count), 0) FROM virtual_keys WHERE project_id = ?")) {
                select.setString(1, projectId);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static Optional<KeyLookup> read(Connection connection, String condition, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", p.is_active AS project_active "
                + "FROM virtual_keys k JOIN projects p ON p.id = k.project_id WHERE " + condition)) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(lookup(rows)) : Optional.empty();
            }
        }
    }

    private static KeyLookup lookup(ResultSet rows) throws SQLException {
        VirtualKey key = new VirtualKey(rows.getString("id"), rows.getString("project_id"), rows.getString("name"),
                rows.getString("key_hash"), rows.getString("key_prefix"), Sql.instant(rows, "expires_at"),
                Sql.instant(rows, "revoked_at"), Sql.nullableLong(rows, "max_requests"), rows.getLong("request_count"),
                parse(rows.getString("allowed_models"), STRING_LIST), parse(rows.getString("metadata"), STRING_MAP),
                Sql.instant(rows, "created_at"), Sql.instant(rows, "last_used_at"));
        return new KeyLookup(key, rows.getBoolean("project_active"));
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StorageException("a virtual key row holds malformed JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
