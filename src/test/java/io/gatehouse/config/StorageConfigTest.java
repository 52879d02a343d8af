package io.gatehouse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageConfigTest {
    private static final String OPENAI = "llm:\n  type: openai\n";

    @TempDir
    Path dir;

    private GatehouseConfig load(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("gatehouse.yaml"), yaml), env, Map.of());
    }

    @Test
    void withoutAStorageBlockTheEmbeddedDefaultsApplyAndThereIsNoRedis() throws Exception {
        GatehouseConfig config = load(OPENAI, Map.of());

        assertThat(config.storage().url()).isEqualTo("sqlite:./data/gatehouse.db");
        assertThat(config.storage().poolSize()).isEqualTo(8);
        assertThat(config.storage().masterKeyFile()).isEqualTo("./data/master.key");
        assertThat(config.redis().url()).isNull();
    }

    @Test
    void postgresqlAndRedisUrlsAreTakenWithVariablesExpanded() throws Exception {
        GatehouseConfig config = load(OPENAI + "storage:\n  url: postgresql://gate:${PGPASS}@db:5432/gatehouse\n  pool_size: 16\n"
                + "redis:\n  url: redis://cache:6379/2\n", Map.of("PGPASS", "s3cret"));

        assertThat(config.storage().url()).isEqualTo("postgresql://gate:s3cret@db:5432/gatehouse");
        assertThat(config.storage().poolSize()).isEqualTo(16);
        assertThat(config.redis().url()).isEqualTo("redis://cache:6379/2");
    }

    @Test
    void anUnsupportedStorageUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> load(OPENAI + "storage:\n  url: mysql://root:hunter2pass@db/gatehouse\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.url: must be sqlite:PATH or postgresql://")
                .hasMessageNotContaining("hunter2pass");
        assertThatThrownBy(() -> load(OPENAI + "redis:\n  url: cache:6379\n", Map.of()))
                .hasMessageContaining("redis.url: must be redis://");
        assertThatThrownBy(() -> load(OPENAI + "storage:\n  pool_size: 0\n", Map.of()))
                .hasMessageContaining("storage.pool_size");
    }
}
