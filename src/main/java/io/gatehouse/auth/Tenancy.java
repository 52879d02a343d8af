package io.gatehouse.auth;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.store.AuditLog;
import io.gatehouse.store.Database;
import io.gatehouse.store.KeyUsageCounts;
import io.gatehouse.store.ProjectRepository;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.VirtualKeyRepository;
import io.gatehouse.store.crypto.MasterKey;
import io.gatehouse.store.crypto.SecretCipher;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything projects and virtual keys need at run time, opened together at startup: the database, the master key,
 * the repositories, the key-lookup cache (subscribed to Redis when configured), the audit trail and the usage
 * recorder, whose counts are written every {@link #USAGE_FLUSH_MILLIS} ms and on close.
 */
public final class Tenancy implements AutoCloseable {
    public static final String AUDIT_FILE_NAME = "audit.jsonl";
    static final long USAGE_FLUSH_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(Tenancy.class);

    private final Vertx vertx;
    private final Database database;
    private final ProjectRepository projects;
    private final VirtualKeyRepository keys;
    private final KeyLookupCache keyCache;
    private final RedisInvalidationChannel redis;
    private final AuditTrail audit;
    private final UsageRecorder usage;
    private final VirtualKeyInterceptor interceptor;
    private final long flushTimer;

    private Tenancy(Vertx vertx, Database database, ProjectRepository projects, VirtualKeyRepository keys,
                    KeyLookupCache keyCache, RedisInvalidationChannel redis, AuditTrail audit, UsageRecorder usage,
                    VirtualKeyInterceptor interceptor) {
        this.vertx = vertx;
        this.database = database;
        this.projects = projects;
        this.keys = keys;
        this.keyCache = keyCache;
        this.redis = redis;
        this.audit = audit;
        this.usage = usage;
        this.interceptor = interceptor;
        this.flushTimer = vertx.setPeriodic(USAGE_FLUSH_MILLIS, id -> usage.flush());
    }

    /**
     * Opens the store named by {@code storage}, migrating it, and connects to {@code redis} when it has a url.
     * Blocking: call it at startup, before serving. The audit log's JSONL file goes beside the master key file.
     *
     * @param environment where {@code GATEHOUSE_MASTER_KEY} is looked up
     */
    public static Tenancy open(Vertx vertx, GatehouseConfig config, Map<String, String> environment) {
        Clock clock = Clock.systemUTC();
        Path masterKeyFile = Path.of(config.storage().masterKeyFile());
        MasterKey masterKey = MasterKey.load(environment, masterKeyFile);
        Database database = Database.open(vertx, StorageUrl.parse(config.storage().url()), config.storage().poolSize());
        RedisInvalidationChannel redis = null;
        try {
            ProjectRepository projects = new ProjectRepository(database, new SecretCipher(masterKey), clock);
            VirtualKeyRepository keys = new VirtualKeyRepository(database, clock);
            KeyLookupCache keyCache = new KeyLookupCache(keys::findByHash, KeyLookupCache.DEFAULT_TTL, KeyLookupCache.DEFAULT_MAX_ENTRIES);
            if (config.redis().url() != null) {
                redis = RedisInvalidationChannel.connect(config.redis().url(), keyCache);
            }
            Path auditFile = masterKeyFile.toAbsolutePath().resolveSibling(AUDIT_FILE_NAME);
            AuditTrail audit = new AuditTrail(new AuditLog(database, auditFile, clock));
            UsageRecorder usage = new UsageRecorder(new KeyUsageCounts(database, clock));
            VirtualKeyInterceptor interceptor = new VirtualKeyInterceptor(keyCache, keys,
                    new ProviderKeys(projects, KeyLookupCache.DEFAULT_TTL), usage, audit, clock);
            LOG.info("Tenancy store {} opened (master key {} from {}; audit file {}; key invalidation {})",
                    StorageUrl.parse(config.storage().url()), masterKey.id(), masterKey.source(), auditFile,
                    redis == null ? "local only" : "over Redis");
            return new Tenancy(vertx, database, projects, keys, keyCache, redis, audit, usage, interceptor);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            database.close();
            throw e;
        }
    }

    public ProjectRepository projects() {
        return projects;
    }

    public VirtualKeyRepository keys() {
        return keys;
    }

    public KeyLookupCache keyCache() {
        return keyCache;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** The {@code virtual_keys} auth interceptor over this store. */
    public VirtualKeyInterceptor interceptor() {
        return interceptor;
    }

    /** Writes the usage still counted in memory and the audit entries still queued, then closes Redis and the database. */
    @Override
    public void close() {
        vertx.cancelTimer(flushTimer);
        try {
            usage.flush().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("usage counted since the last flush was not written: {}", e.getMessage());
        }
        try {
            if (!audit.awaitWritten(Duration.ofSeconds(10))) {
                LOG.warn("audit entries still queued after 10 s are lost at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (redis != null) {
            redis.close();
        }
        database.close();
    }
}
