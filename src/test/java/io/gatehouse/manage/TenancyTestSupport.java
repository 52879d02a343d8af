package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.StorageUrl;
import io.gatehouse.store.TestStore;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateways with virtual keys and the management API over a real store (an empty SQLite file or PostgreSQL
 * schema per test), and a small client for {@code /manage}.
 */
abstract class TenancyTestSupport extends GatewayTestSupport {
    static final String MANAGEMENT_TOKEN = "test-management-token-0123456789abcdef";

    @TempDir
    Path tempDir;
    TestStore store;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    TestStore newStore(StorageUrl.Kind kind) throws Exception {
        store = TestStore.create(kind, tempDir);
        opened.add(store);
        return store;
    }

    /** A gateway over {@link #store} with the management API on; the caller adds providers and the auth mode. */
    TestGateway gatewayOverStore() {
        return TestGateway.builder()
                .vertx(vertx)
                .storage(storageUrl(), tempDir.resolve("data/master.key"))
                .managementToken(MANAGEMENT_TOKEN);
    }

    TestGateway.Running start(TestGateway gateway) {
        TestGateway.Running running = gateway.start();
        opened.add(running);
        return running;
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        opened.add(resource);
        return resource;
    }

    String storageUrl() {
        return store.schema() == null ? "sqlite:" + store.url.sqliteFile() : "postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + store.schema();
    }

    static HttpResponse<String> manage(TestGateway.Running gateway, String method, String path, String body) throws Exception {
        return manage(gateway, method, path, body, MANAGEMENT_TOKEN);
    }

    static HttpResponse<String> manage(TestGateway.Running gateway, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    /** Creates a project with these provider keys and returns its id. */
    static String createProject(TestGateway.Running gateway, String name, String providerKeysJson) throws Exception {
        HttpResponse<String> created = manage(gateway, "POST", "/manage/projects",
                "{\"name\":\"" + name + "\",\"provider_keys\":" + providerKeysJson + "}");
        if (created.statusCode() != 201) {
            throw new AssertionError("project not created: " + created.statusCode() + " " + created.body());
        }
        return json(created).get("id").asText();
    }

    /** Creates a key from a JSON body that names the project and returns the create answer (with the secret). */
    static JsonNode createKey(TestGateway.Running gateway, String body) throws Exception {
        HttpResponse<String> created = manage(gateway, "POST", "/manage/tokens", body);
        if (created.statusCode() != 201) {
            throw new AssertionError("key not created: " + created.statusCode() + " " + created.body());
        }
        return json(created);
    }
}
