package io.gatehouse.store;

import io.vertx.core.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.gatehouse.store.TestStore.await;
import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest extends StoreTestSupport {
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-03-01T12:00:00Z"));

    private AuditLog auditLog(Database database) {
        return new AuditLog(database, tempDir.resolve("audit/audit.jsonl"), clock);
    }

    private static AuditEntry entry(int n) {
        return AuditEntry.of("management", "project.update", "project-" + n, "success", Map.of("n", n, "fields", List.of("name")))
                .withRequest("req-" + n, "127.0.0.1");
    }

    private static void appendAll(AuditLog log, int count) {
        for (int i = 1; i <= count; i++) {
            await(log.append(entry(i)));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void appendedEntriesFormOneChainInTheDatabaseAndInAPrivateFile(StorageUrl.Kind kind) throws Exception {
        AuditLog log = auditLog(open(newStore(kind)));

        AuditRecord first = await(log.append(entry(1)));
        AuditRecord second = await(log.append(entry(2)));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.requestId()).isEqualTo("req-2");
        assertThat(second.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(verifyDatabase(log).intact()).isTrue();
        assertThat(verifyDatabase(log).entries()).isEqualTo(2);
        AuditVerification file = await(log.verifyFile());
        assertThat(file.intact()).isTrue();
        assertThat(file.entries()).isEqualTo(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.file()))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(log.file()).get(1)).contains("\"hash\":\"" + second.hash() + "\"");
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void concurrentAppendsStayOneContiguousChain(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        AuditLog log = auditLog(open(store));
        // A second instance sharing the database, with a file of its own.
        AuditLog peer = new AuditLog(open(store), tempDir.resolve("peer.jsonl"), clock);

        List<Future<AuditRecord>> appends = IntStream.range(0, 40).mapToObj(i -> (i % 2 == 0 ? log : peer).append(entry(i))).toList();
        List<Long> seqs = appends.stream().map(TestStore::await).map(AuditRecord::seq).sorted().toList();

        assertThat(seqs).isEqualTo(IntStream.rangeClosed(1, 40).mapToObj(Long::valueOf).toList());
        assertThat(verifyDatabase(log).intact()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void verifyFindsAnEntryAlteredInTheDatabase(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        AuditLog log = auditLog(open(store));
        appendAll(log, 5);

        execute(store, "UPDATE audit_log SET outcome = 'failure' WHERE seq = 3");

        AuditVerification verdict = verifyDatabase(log);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.brokenAt()).isEqualTo(3);
        assertThat(verdict.problem()).contains("altered");
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void verifyFindsADeletedEntryInTheMiddleOrAtTheEnd(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        AuditLog log = auditLog(open(store));
        appendAll(log, 5);

        execute(store, "DELETE FROM audit_log WHERE seq = 2");
        AuditVerification middle = verifyDatabase(log);
        execute(store, "DELETE FROM audit_log WHERE seq >= 2");
        AuditVerification end = verifyDatabase(log);

        assertThat(middle.brokenAt()).isEqualTo(2);
        assertThat(middle.problem()).contains("seq 2 missing");
        assertThat(end.intact()).isFalse();
        assertThat(end.problem()).contains("head records seq 5");
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void verifyFindsReorderedEntries(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        AuditLog log = auditLog(open(store));
        appendAll(log, 4);

        // Swap the contents of entries 2 and 3, keeping the seq column in order.
        execute(store, "UPDATE audit_log SET seq = -2 WHERE seq = 2");
        execute(store, "UPDATE audit_log SET seq = 2 WHERE seq = 3");
        execute(store, "UPDATE audit_log SET seq = 3 WHERE seq = -2");

        AuditVerification verdict = verifyDatabase(log);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.brokenAt()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = StorageUrl.Kind.class, names = "SQLITE")
    void verifyFindsALineAlteredDeletedOrReorderedInTheFile(StorageUrl.Kind kind) throws Exception {
        AuditLog log = auditLog(open(newStore(kind)));
        appendAll(log, 4);
        List<String> lines = Files.readAllLines(log.file());

        Path altered = write("altered.jsonl", replace(lines, 2, lines.get(2).replace("\"success\"", "\"failure\"")));
        List<String> withoutSecond = new ArrayList<>(lines);
        withoutSecond.remove(1);
        Path deleted = write("deleted.jsonl", withoutSecond);
        List<String> swapped = new ArrayList<>(lines);
        Collections.swap(swapped, 1, 2);
        Path reordered = write("reordered.jsonl", swapped);
        Path garbage = write("garbage.jsonl", replace(lines, 3, "{not json"));

        assertThat(AuditLog.verifyFile(log.file()).intact()).isTrue();
        assertThat(AuditLog.verifyFile(altered)).satisfies(v -> assertThat(v.brokenAt()).isEqualTo(3))
                .satisfies(v -> assertThat(v.problem()).contains("altered"));
        assertThat(AuditLog.verifyFile(deleted)).satisfies(v -> assertThat(v.problem()).contains("seq 2 missing"));
        assertThat(AuditLog.verifyFile(reordered)).satisfies(v -> assertThat(v.intact()).isFalse());
        assertThat(AuditLog.verifyFile(garbage)).satisfies(v -> assertThat(v.problem()).contains("line 4"));
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void secretsInAnEntryAreMaskedBeforeTheyAreHashedAndStored(StorageUrl.Kind kind) throws Exception {
        TestStore store = newStore(kind);
        AuditLog log = auditLog(open(store));
        String leaked = "sk-proj-LEAKEDkeyLEAKEDkey1234567890";

        AuditRecord record = await(log.append(AuditEntry.of("management", "project.create", "Bearer " + leaked, "success",
                Map.of("api_key", leaked, "nested", Map.of("note", "x-api-key: " + leaked)))));

        assertThat(record.details().toString()).doesNotContain(leaked);
        assertThat(record.target()).doesNotContain(leaked);
        assertThat(everythingStored(store)).doesNotContain(leaked).doesNotContain("LEAKEDkeyLEAKED");
        assertThat(Files.readString(log.file(), StandardCharsets.UTF_8)).doesNotContain(leaked);
        assertThat(verifyDatabase(log).intact()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StorageUrl.Kind.class)
    void listFiltersSearchesAndPagesNewestFirst(StorageUrl.Kind kind) throws Exception {
        AuditLog log = auditLog(open(newStore(kind)));
        await(log.append(AuditEntry.of("management", "project.create", "alpha", "success", Map.of())));
        await(log.append(AuditEntry.of("anonymous", "auth.failure", null, "denied", Map.of("reason", "token_not_found"))));
        await(log.append(AuditEntry.of("management", "token.revoke", "key-1", "success", Map.of())));

        Page<AuditRecord> management = await(log.list(new AuditQuery(null, "management", null, null, null, null, null, null), 1, 0));
        Page<AuditRecord> denied = await(log.list(new AuditQuery(null, null, "denied", null, null, null, null, null), 10, 0));
        Page<AuditRecord> searched = await(log.list(new AuditQuery(null, null, null, null, null, "ALPHA", null, null), 10, 0));

        assertThat(management.total()).isEqualTo(2);
        assertThat(management.items()).extracting(AuditRecord::action).containsExactly("token.revoke");
        assertThat(denied.items()).extracting(AuditRecord::action).containsExactly("auth.failure");
        assertThat(denied.items().get(0).details().path("reason").asText()).isEqualTo("token_not_found");
        assertThat(searched.items()).extracting(AuditRecord::seq).containsExactly(1L);
        assertThat(await(log.get(2))).map(AuditRecord::outcome).contains("denied");
    }

    private static AuditVerification verifyDatabase(AuditLog log) {
        return await(log.verifyDatabase());
    }

    private static void execute(TestStore store, String sql) throws Exception {
        try (Connection connection = store.rawConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static List<String> replace(List<String> lines, int index, String line) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(index, line);
        return copy;
    }

    private Path write(String name, List<String> lines) throws Exception {
        return Files.write(tempDir.resolve(name), lines);
    }
}
