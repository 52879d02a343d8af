package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where tenancy state (projects, virtual keys, the audit log) is kept; see docs/storage.md.
 *
 * @param url           {@code sqlite:PATH} or {@code postgresql://user[:password]@host[:port]/database[?parameters]}
 * @param poolSize      database connections, and worker threads running the queries off the event loops
 * @param masterKeyFile the key that encrypts provider keys at rest, created on first run; {@code GATEHOUSE_MASTER_KEY} overrides it
 */
public record StorageConfig(
        String url,
        @JsonProperty("pool_size") Integer poolSize,
        @JsonProperty("master_key_file") String masterKeyFile) {

    public StorageConfig {
        url = url == null ? "sqlite:./data/gatehouse.db" : url;
        poolSize = poolSize == null ? 8 : poolSize;
        masterKeyFile = masterKeyFile == null ? "./data/master.key" : masterKeyFile;
    }
}
