package io.gatehouse.store;

import io.gatehouse.pipeline.Secret;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Future;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Projects and their provider keys. A provider key is encrypted before it reaches JDBC, with its project id and
 * provider as associated data, and decrypted only by {@link #providerKey}, which returns a masked {@link Secret}.
 * Projects are never deleted (as in llm-proxy): deactivation keeps the history and stops the keys.
 */
public final class ProjectRepository {
    private static final String COLUMNS = "id, name, is_active, deactivated_at, created_at, updated_at";

    private final Database database;
    private final SecretCipher cipher;
    private final Clock clock;

    public ProjectRepository(Database database, SecretCipher cipher, Clock clock) {
        this.database = database;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Fails with {@link StoreRejection} {@code DUPLICATE_NAME} when the name is taken. */
    public Future<Project> create(String name, Map<String, String> providerKeys) {
        String id = UUID.randomUUID().toString();
        Instant now = now();
        return database.inTransaction(connection -> {
            requireName(name);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO projects (id, name, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setBoolean(3, true);
                Sql.setInstant(insert, 4, now);
                Sql.setInstant(insert, 5, now);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw duplicateOr(e, name);
            }
            for (Map.Entry<String, String> key : providerKeys.entrySet()) {
                putProviderKey(connection, id, key.getKey(), key.getValue(), now);
            }
            return read(connection, id).orElseThrow();
        });
    }

    public Future<Optional<Project>> get(String id) {
        return database.run(connection -> read(connection, id));
    }

    public Future<Optional<Project>> findByName(String name) {
        return database.run(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? read(connection, rows.getString(1)) : Optional.<Project>empty();
                }
            }
        });
    }

    /** Newest first; {@link PageRequest#search()} matches a substring of the name, case-insensitively. */
    public Future<Page<Project>> list(PageRequest request) {
        return database.run(connection -> {
            String where = request.search() == null ? "" : " WHERE LOWER(name) LIKE ? ESCAPE '\\'";
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM projects" + where)) {
                if (request.search() != null) {
                    count.setString(1, request.likePattern());
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<Project> withoutProviders = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM projects" + where
                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
                int index = 1;
                if (request.search() != null) {
                    select.setString(index++, request.likePattern());
                }
                select.setInt(index++, request.limit());
                select.setInt(index, request.offset());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        withoutProviders.add(project(rows, List.of()));
                    }
                }
            }
            Map<String, List<String>> providers = providersOf(connection, withoutProviders.stream().map(Project::id).toList());
            List<Project> items = withoutProviders.stream().map(project -> new Project(project.id(), project.name(), project.active(),
                    providers.getOrDefault(project.id(), List.of()), project.deactivatedAt(), project.createdAt(), project.updatedAt())).toList();
            return new Page<>(items, total, request.limit(), request.offset());
        });
    }

    /**
     * Applies {@code changes} in one transaction. Deactivating stamps {@code deactivated_at}; reactivating
     * clears it. Deactivated or not, the caller must drop the project from the key-lookup cache.
     *
     * Fails with {@link StoreRejection} {@code NOT_FOUND} or {@code DUPLICATE_NAME}.
     */
    public Future<ProjectUpdate> update(String id, ProjectChanges changes) {
        Instant now = now();
        return database.inTransaction(connection -> {
            if (changes.name() != null) {
                requireName(changes.name());
            }
            Project before = read(connection, id)
                    .orElseThrow(() -> new StoreRejection(StoreRejection.Reason.NOT_FOUND, "no project with id " + id));
            String name = changes.name() == null ? before.name() : changes.name();
            boolean active = changes.active() == null ? before.active() : changes.active();
            Instant deactivatedAt = active ? null : before.active() ? now : before.deactivatedAt();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE projects SET name = ?, is_active = ?, deactivated_at = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, name);
                update.setBoolean(2, active);
                Sql.setInstant(update, 3, deactivatedAt);
                Sql.setInstant(update, 4, now);
                update.setString(5, id);
                update.executeUpdate();
            } catch (SQLException e) {
                throw duplicateOr(e, name);
            }
            for (Map.Entry<String, String> key : changes.providerKeys().entrySet()) {
                putProviderKey(connection, id, key.getKey(), key.getValue(), now);
            }
            for (String provider : changes.removedProviders()) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM project_provider_keys WHERE project_id = ? AND provider = ?")) {
                    delete.setString(1, id);
                    delete.setString(2, provider);
                    delete.executeUpdate();
                }
            }
            List<String> revoked = !active && changes.revokeKeys()
                    ? VirtualKeyRepository.revokeAllOfProject(connection, id, now)
                    : List.of();
            return new ProjectUpdate(read(connection, id).orElseThrow(), revoked);
        });
    }

    /** The project's key for {@code provider}, decrypted; empty when it has none. */
    public Future<Optional<Secret>> providerKey(String projectId, String provider) {
        return database.run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT ciphertext FROM project_provider_keys WHERE project_id = ? AND provider = ?")) {
                select.setString(1, projectId);
                select.setString(2, provider);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<Secret>empty();
                    }
                    return Optional.ofNullable(Secret.ofNullable(cipher.decrypt(rows.getString(1), associatedData(projectId, provider))));
                }
            }
        });
    }

    /** Binds a ciphertext to its row: moved to another project or provider, it no longer decrypts. */
    static String associatedData(String projectId, String provider) {
        return "gatehouse/provider-key|" + projectId + "|" + provider;
    }

    private void putProviderKey(Connection connection, String projectId, String provider, String key, Instant now) throws SQLException {
        if (provider == null || provider.isBlank() || provider.length() > 64) {
            throw new IllegalArgumentException("a provider name must have 1 to 64 characters");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the key for provider " + provider + " is empty");
        }
        String ciphertext = cipher.encrypt(key, associatedData(projectId, provider));
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM project_provider_keys WHERE project_id = ? AND provider = ?")) {
            delete.setString(1, projectId);
            delete.setString(2, provider);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO project_provider_keys (project_id, provider, ciphertext, updated_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, projectId);
            insert.setString(2, provider);
            insert.setString(3, ciphertext);
            Sql.setInstant(insert, 4, now);
            insert.executeUpdate();
        }
    }

    private static Optional<Project> read(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM projects WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(project(rows, providers(connection, id))) : Optional.empty();
            }
        }
    }

    private static List<String> providers(Connection connection, String projectId) throws SQLException {
        List<String> providers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT provider FROM project_provider_keys WHERE project_id = ? ORDER BY provider")) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    providers.add(rows.getString(1));
                }
            }
        }
        return providers;
    }

    /** The providers with a key, for a whole page of projects in one query. */
    private static Map<String, List<String>> providersOf(Connection connection, List<String> projectIds) throws SQLException {
        Map<String, List<String>> providers = new HashMap<>();
        if (projectIds.isEmpty()) {
            return providers;
        }
        String placeholders = String.join(", ", Collections.nCopies(projectIds.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement("SELECT project_id, provider FROM project_provider_keys "
                + "WHERE project_id IN (" + placeholders + ") ORDER BY provider")) {
            for (int i = 0; i < projectIds.size(); i++) {
                select.setString(i + 1, projectIds.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    providers.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        return providers;
    }

    private static Project project(ResultSet rows, List<String> providers) throws SQLException {
        return new Project(rows.getString("id"), rows.getString("name"), rows.getBoolean("is_active"), providers,
                Sql.instant(rows, "deactivated_at"), Sql.instant(rows, "created_at"), Sql.instant(rows, "updated_at"));
    }

    private static RuntimeException duplicateOr(SQLException e, String name) {
        if (Sql.isUniqueViolation(e)) {
            return new StoreRejection(StoreRejection.Reason.DUPLICATE_NAME, "a project named '" + name + "' exists already");
        }
        return new StorageException("database error: " + e.getMessage(), e);
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("a project name must have 1 to 200 characters");
        }
    }

    private Instant now() {
        // Millisecond precision: what the database keeps, so a value read back equals the one written.
        return Instant.ofEpochMilli(clock.millis());
    }
}
