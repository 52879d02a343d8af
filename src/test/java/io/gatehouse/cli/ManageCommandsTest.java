package io.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.TestStore;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code gatehouse manage …} and {@code gatehouse audit verify} against a running gateway and its SQLite store. */
class ManageCommandsTest {
    private static final String TOKEN = "cli-management-token-0123456789abcdef";

    @TempDir
    Path dir;
    private Vertx vertx;
    private TestStore store;
    private TestGateway.Running gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        store = TestStore.create(StorageUrl.Kind.SQLITE, dir);
        gateway = TestGateway.builder().vertx(vertx)
                .provider("openai", "openai", "http://127.0.0.1:9", null)
                .storage("sqlite:" + store.url.sqliteFile(), dir.resolve("data/master.key"))
                .managementToken(TOKEN)
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        store.close();
        vertx.close().await();
    }

    private CliHarness cli() {
        return new CliHarness(Map.of("MANAGEMENT_TOKEN", TOKEN, "MANAGEMENT_API_BASE_URL", gateway.baseUrl()));
    }

    private JsonNode jsonOf(String... args) throws Exception {
        CliHarness cli = cli();
        assertThat(cli.execute(args)).as(cli.err()).isZero();
        return Json.MAPPER.readTree(cli.out());
    }

    @Test
    void projectAndKeyCommandsDriveTheManagementApi() throws Exception {
        JsonNode project = jsonOf("manage", "project", "create", "--name", "cli-project",
                "--openai-key", "sk-cli-openai-0123456789abcdef", "--provider-key", "anthropic=sk-ant-cli-0123456789", "--json");
        String projectId = project.get("id").asText();
        assertThat(project.get("providers")).extracting(JsonNode::asText).containsExactly("anthropic", "openai");

        CliHarness table = cli();
        assertThat(table.execute("manage", "project", "list")).isZero();
        assertThat(table.out()).startsWith("ID").contains("cli-project", projectId).doesNotContain("sk-cli");

        assertThat(jsonOf("manage", "project", "get", projectId, "--json").get("request_count").asLong()).isZero();
        assertThat(jsonOf("manage", "project", "update", projectId, "--name", "renamed", "--json").get("name").asText()).isEqualTo("renamed");

        JsonNode key = jsonOf("manage", "key", "create", "--project-id", projectId, "--name", "ci", "--duration", "60",
                "--max-requests", "5", "--allowed-model", "gpt-4o*", "--metadata", "team=math", "--json");
        String secret = key.get("token").asText();
        assertThat(secret).startsWith("gh-");
        String keyId = key.get("id").asText();

        CliHarness keys = cli();
        assertThat(keys.execute("manage", "key", "list", "--project-id", projectId)).isZero();
        assertThat(keys.out()).contains(keyId, "gh-").doesNotContain(secret);
        assertThat(jsonOf("manage", "key", "get", keyId, "--json").get("metadata").get("team").asText()).isEqualTo("math");

        CliHarness revoke = cli();
        assertThat(revoke.execute("manage", "key", "revoke", keyId)).isZero();
        assertThat(jsonOf("manage", "key", "get", keyId, "--json").get("is_active").asBoolean()).isFalse();

        assertThat(jsonOf("manage", "project", "deactivate", projectId, "--json").get("is_active").asBoolean()).isFalse();
    }

    @Test
    void runWithVirtualKeysTakesTheManagementTokenFromTheEnvironmentOnly() throws Exception {
        int upstreamPort = DemoUpstream.start(vertx, "127.0.0.1", 0, new DemoUpstream.Options(0, "sk-run-project-0123456789"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        int port = CliHarness.freePort();
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), "server: {port: " + port + ", workers: 1}\n"
                + "llm: {type: openai, base_url: 'http://127.0.0.1:" + upstreamPort + "'}\n"
                + "auth: {mode: virtual_keys}\n"
                + "storage: {url: 'sqlite:" + dir.resolve("run/gatehouse.db") + "', master_key_file: '" + dir.resolve("run/master.key") + "'}\n");
        String gatewayUrl = "http://127.0.0.1:" + port;
        CliHarness run = new CliHarness(Map.of("MANAGEMENT_TOKEN", TOKEN));
        CompletableFuture<Integer> exit = run.start("run", "--config", config.toString());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> CliHarness.get(gatewayUrl + "/health").statusCode() == 200);

        CliHarness manage = new CliHarness(Map.of("MANAGEMENT_TOKEN", TOKEN, "MANAGEMENT_API_BASE_URL", gatewayUrl));
        assertThat(manage.execute("manage", "project", "create", "--name", "run", "--openai-key", "sk-run-project-0123456789", "--json")).isZero();
        String projectId = Json.MAPPER.readTree(manage.out()).get("id").asText();
        CliHarness keys = new CliHarness(Map.of("MANAGEMENT_TOKEN", TOKEN, "MANAGEMENT_API_BASE_URL", gatewayUrl));
        assertThat(keys.execute("manage", "key", "create", "--project-id", projectId, "--json")).isZero();
        String secret = Json.MAPPER.readTree(keys.out()).get("token").asText();

        String chat = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
        assertThat(CliHarness.postJson(gatewayUrl + "/v1/chat/completions", chat).statusCode()).isEqualTo(401);
        HttpResponse<String> authorized = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(authorized.statusCode()).isEqualTo(200);
        String effective = CliHarness.get(gatewayUrl + "/config").body();
        assertThat(effective).contains("\"auth\":{\"mode\":\"virtual_keys\"}").doesNotContain(TOKEN);
        assertThat(run.stop(exit)).isZero();
    }

    @Test
    void failuresAreOneLineWithExitCodeOne() {
        CliHarness wrongToken = new CliHarness(Map.of("MANAGEMENT_TOKEN", "wrong", "MANAGEMENT_API_BASE_URL", gateway.baseUrl()));
        assertThat(wrongToken.execute("manage", "project", "list")).isEqualTo(1);
        assertThat(wrongToken.err()).isEqualTo("error: invalid management token (HTTP 401)\n");

        CliHarness noToken = new CliHarness(Map.of());
        assertThat(noToken.execute("manage", "project", "list", "--manage-api-base-url", gateway.baseUrl())).isEqualTo(1);
        assertThat(noToken.err()).isEqualTo("error: no management token: pass --management-token or set MANAGEMENT_TOKEN\n");

        CliHarness flags = new CliHarness(Map.of());
        assertThat(flags.execute("manage", "project", "get", "no-such-id", "--manage-api-base-url", gateway.baseUrl(),
                "--management-token", TOKEN)).isEqualTo(1);
        assertThat(flags.err()).isEqualTo("error: project not found (HTTP 404)\n");

        CliHarness down = new CliHarness(Map.of("MANAGEMENT_TOKEN", TOKEN));
        assertThat(down.execute("manage", "key", "list", "--manage-api-base-url", "http://127.0.0.1:" + CliHarness.freePort())).isEqualTo(1);
        assertThat(down.err()).startsWith("error: cannot reach the management API at http://127.0.0.1:");
    }

    @Test
    void auditVerifyPassesOnTheChainAndFailsAfterAnEntryIsAltered() throws Exception {
        jsonOf("manage", "project", "create", "--name", "audited", "--json");
        jsonOf("manage", "project", "list", "--json");
        jsonOf("manage", "key", "list", "--json");
        Path file = dir.resolve("data/audit.jsonl");
        String storageUrl = "sqlite:" + store.url.sqliteFile();

        CliHarness intact = cli();
        assertThat(intact.execute("audit", "verify", "--file", file.toString(), "--storage-url", storageUrl)).as(intact.err()).isZero();
        assertThat(intact.out()).contains("3 entries, chain intact");

        try (Connection connection = store.rawConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
        }
        CliHarness database = cli();
        assertThat(database.execute("audit", "verify", "--storage-url", storageUrl)).isEqualTo(1);
        assertThat(database.out()).contains("chain broken at 2", "altered");

        List<String> lines = Files.readAllLines(file);
        lines.set(0, lines.get(0).replace("\"project.create\"", "\"project.read\""));
        Files.write(file, lines);
        CliHarness fileCheck = cli();
        assertThat(fileCheck.execute("audit", "verify", "--file", file.toString())).isEqualTo(1);
        assertThat(fileCheck.out()).contains("chain broken at 1");
    }
}
