package io.gatehouse.cli;

import io.gatehouse.auth.Tenancy;
import io.gatehouse.store.AuditLog;
import io.gatehouse.store.AuditVerification;
import io.gatehouse.store.Database;
import io.gatehouse.store.StorageUrl;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code gatehouse audit verify}: walks the audit log's hash chain in a JSONL file and/or the database. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The tamper-evident audit log.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the audit chain: every entry's hash recomputed and linked to the one before.",
                    "Exit 0 when every source given is intact, 1 naming the first broken entry otherwise."})
    static final class Verify implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--file", paramLabel = "PATH", description = "An audit JSONL file (the gateway writes data/audit.jsonl).")
        private Path file;
        @Option(names = "--storage-url", paramLabel = "URL", description = "The database, as storage.url: sqlite:PATH or postgresql://…")
        private String storageUrl;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (file == null && storageUrl == null) {
                err.println("error: give --file PATH, --storage-url URL, or both");
                err.flush();
                return 1;
            }
            List<AuditVerification> results = new ArrayList<>();
            try {
                if (file != null) {
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalArgumentException("no audit file at " + file);
                    }
                    results.add(AuditLog.verifyFile(file));
                }
                if (storageUrl != null) {
                    results.add(verifyDatabase(StorageUrl.parse(storageUrl)));
                }
            } catch (IOException | RuntimeException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
            results.forEach(out::println);
            out.flush();
            return results.stream().allMatch(AuditVerification::intact) ? 0 : 1;
        }

        private AuditVerification verifyDatabase(StorageUrl url) {
            Vertx vertx = Vertx.vertx();
            try (Database database = Database.open(vertx, url, 1)) {
                // verifyDatabase reads the database only; the log's file path is never opened here.
                Path logFile = file != null ? file : Path.of(Tenancy.AUDIT_FILE_NAME);
                return new AuditLog(database, logFile, Clock.systemUTC()).verifyDatabase().await(5, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the database did not answer within 5 minutes");
            } finally {
                vertx.close();
            }
        }
    }
}
