package io.gatehouse.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageUrlTest {
    @Test
    void sqliteUrlNamesAFileResolvedToAnAbsolutePath() {
        StorageUrl url = StorageUrl.parse(StorageUrl.DEFAULT);

        assertThat(url.kind()).isEqualTo(StorageUrl.Kind.SQLITE);
        assertThat(url.sqliteFile()).isEqualTo(Path.of("data/gatehouse.db").toAbsolutePath());
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("data/gatehouse.db").toAbsolutePath());
    }

    @Test
    void postgresqlUrlSplitsCredentialsFromTheJdbcUrlAndKeepsParameters() {
        StorageUrl url = StorageUrl.parse("postgresql://gate%40house:p%3Ass@db.internal:6543/gatehouse?sslmode=require");

        assertThat(url.kind()).isEqualTo(StorageUrl.Kind.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/gatehouse?sslmode=require");
        assertThat(url.user()).isEqualTo("gate@house");
        assertThat(url.password()).isEqualTo("p:ss");
    }

    @Test
    void postgresqlPortDefaultsTo5432AndPasswordIsOptional() {
        StorageUrl url = StorageUrl.parse("postgresql://root@127.0.0.1/test");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(url.password()).isNull();
    }

    @Test
    void printedFormNeverShowsThePassword() {
        StorageUrl url = StorageUrl.parse("postgresql://app:hunter2secret@db:5432/gatehouse?password=hunter2secret");

        assertThat(url.toString()).doesNotContain("hunter2secret").contains("db:5432/gatehouse").contains("app");
    }

    @Test
    void unsupportedSchemeIsRefusedNamingOnlyTheScheme() {
        assertThatThrownBy(() -> StorageUrl.parse("mysql://root:topsecret@db/gatehouse"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported scheme (mysql)")
                .hasMessageContaining("sqlite:PATH or postgresql://")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void incompleteUrlsAreRefusedWithTheMissingPart() {
        assertThatThrownBy(() -> StorageUrl.parse("postgresql://db:5432/gatehouse")).hasMessageContaining("no PostgreSQL user");
        assertThatThrownBy(() -> StorageUrl.parse("postgresql://app@db:5432/")).hasMessageContaining("no PostgreSQL database");
        assertThatThrownBy(() -> StorageUrl.parse("sqlite:")).hasMessageContaining("needs a file path");
        assertThatThrownBy(() -> StorageUrl.parse("sqlite:///var/db")).hasMessageContaining("not sqlite://");
        assertThatThrownBy(() -> StorageUrl.parse(" ")).hasMessageContaining("storage.url is empty");
    }
}
