package io.gatehouse.store.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @TempDir
    Path dir;

    @Test
    void environmentKeyInBase64OrHexIsTheSameKeyAndNoFileIsCreated() {
        Path file = dir.resolve("master.key");
        MasterKey fromBase64 = MasterKey.load(Map.of(MasterKey.ENV, Base64.getEncoder().encodeToString(KEY)), file);
        MasterKey fromHex = MasterKey.load(Map.of(MasterKey.ENV, HexFormat.of().formatHex(KEY)), file);

        assertThat(fromBase64.id()).isEqualTo(fromHex.id()).hasSize(8);
        assertThat(fromBase64.source()).isEqualTo(MasterKey.ENV);
        assertThat(file).doesNotExist();
    }

    @Test
    void environmentKeyOfTheWrongLengthIsRefusedWithoutEchoingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, shortKey), dir.resolve("k")))
                .hasMessageContaining(MasterKey.ENV).hasMessageContaining("decodes to 16 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, "not a key at all!"), dir.resolve("k")))
                .hasMessageContaining("neither").hasMessageNotContaining("not a key at all");
    }

    @Test
    void firstRunCreatesA0600FileOf32RandomBytesInA0700DirectoryAndLaterRunsReuseIt() throws Exception {
        Path file = dir.resolve("data/master.key");

        MasterKey first = MasterKey.load(Map.of(), file);
        MasterKey second = MasterKey.load(Map.of(), file);

        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(MasterKey.load(Map.of(), dir.resolve("other.key")).id()).isNotEqualTo(first.id());
    }

    @Test
    void keyFileReadableByOthersIsRefused() throws Exception {
        Path file = dir.resolve("master.key");
        Files.write(file, KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.load(Map.of(), file)).hasMessageContaining("chmod 600");
    }
}
