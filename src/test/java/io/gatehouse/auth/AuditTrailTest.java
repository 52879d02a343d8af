package io.gatehouse.auth;

import io.gatehouse.store.AuditEntry;
import io.gatehouse.store.AuditLog;
import io.gatehouse.store.AuditQuery;
import io.gatehouse.store.Database;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.TestStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Offered entries never make the caller wait, and beyond the bound they are shed and counted, not queued. */
class AuditTrailTest {
    @TempDir
    Path dir;

    @Test
    void aFloodBeyondTheBoundIsShedAndCountedWhileTheRestIsWritten() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestStore store = TestStore.create(StorageUrl.Kind.SQLITE, dir); Database database = store.open(vertx)) {
            AuditLog log = new AuditLog(database, dir.resolve("audit.jsonl"), Clock.systemUTC());
            AuditTrail trail = new AuditTrail(log);
            int offered = AuditTrail.MAX_PENDING + 5_000;
            // Offering is a counter and a queue hand-off; each write is a database transaction, so a loop this
            // tight outruns the writer by orders of magnitude and the bound is reached.
            for (int i = 0; i < offered; i++) {
                trail.offer(AuditEntry.of("anonymous", "auth.failure", null, "denied", Map.of("n", i)));
            }
            assertThat(trail.shed()).isPositive();
            assertThat(trail.awaitWritten(Duration.ofSeconds(60))).isTrue();
            assertThat(TestStore.await(log.list(AuditQuery.ALL, 1, 0)).total()).isEqualTo(offered - trail.shed());
            assertThat(TestStore.await(log.verifyDatabase()).intact()).isTrue();
        } finally {
            vertx.close().await();
        }
    }
}
