package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.auth.AuditTrail;
import io.gatehouse.auth.Tenancy;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.store.AuditEntry;
import io.gatehouse.store.StorageException;
import io.gatehouse.store.StoreRejection;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management API under {@code /manage}: projects, virtual keys ("tokens", llm-proxy's word) and the audit log,
 * for {@code Authorization: Bearer <MANAGEMENT_TOKEN>}. Without a token configured every route answers 503 saying
 * how to enable it, except {@code /manage/openapi.json}, which is public. Every answer is JSON with a JSON content
 * type; every action, refused or not, is audited, and the answer waits for its audit entry. Failed logins are
 * audited without waiting, through the bounded queue, so a flood of them cannot tie up the writer.
 */
public final class ManagementApi {
    public static final String PREFIX = "/manage";
    static final String OPENAPI_PATH = "/manage/openapi.json";
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);

    /** One route: an OpenAPI path template, its audit action, and its handler. */
    record Route(HttpMethod method, String template, String action, Function<ManageCall, Future<Reply>> handler) {
        Pattern pattern() {
            // Templates hold only letters, slashes and {id}: nothing else to escape.
            return Pattern.compile(template.replace("{id}", "([^/]+)"));
        }
    }

    private final byte[] tokenHash;
    private final AuditTrail audit;
    private final List<Route> routes;
    private final List<Pattern> patterns;
    private final Buffer openApi;

    /**
     * @param token    the management token; null disables the API
     * @param tenancy  the store; null disables the API
     */
    public ManagementApi(Secret token, Tenancy tenancy) {
        boolean enabled = token != null && tenancy != null;
        this.tokenHash = enabled ? sha256(token.reveal()) : null;
        this.audit = enabled ? tenancy.audit() : null;
        this.routes = enabled ? routeTable(tenancy) : List.of();
        this.patterns = this.routes.stream().map(Route::pattern).toList();
        this.openApi = Buffer.buffer(openApiDocument());
    }

    /** True for {@code /manage} and everything under it: these paths are answered here and never proxied. */
    public static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Every route served, as {@code METHOD /path/{id}} (the OpenAPI document itself too), for checking the document against. */
    public static List<String> documentedOperations() {
        List<String> operations = new ArrayList<>(routeTable(null).stream().map(route -> route.method().name() + " " + route.template()).toList());
        operations.add("GET " + OPENAPI_PATH);
        return operations;
    }

    /**
     * The one list of routes, served and documented. With a null tenancy the handlers are never called: the table is
     * only read for its methods and templates ({@link #documentedOperations}).
     */
    private static List<Route> routeTable(Tenancy tenancy) {
        ProjectHandlers projects = tenancy == null ? null : new ProjectHandlers(tenancy.projects(), tenancy.keys(), tenancy.keyCache());
        KeyHandlers keys = tenancy == null ? null : new KeyHandlers(tenancy.keys(), tenancy.keyCache(), Clock.systemUTC());
        AuditHandlers auditLog = tenancy == null ? null : new AuditHandlers(tenancy.audit().log());
        List<Route> table = new ArrayList<>();
        table.add(new Route(HttpMethod.GET, "/manage/projects", "project.list", call -> projects.list(call)));
        table.add(new Route(HttpMethod.POST, "/manage/projects", "project.create", call -> projects.create(call)));
        table.add(new Route(HttpMethod.GET, "/manage/projects/{id}", "project.read", call -> projects.get(call)));
        table.add(new Route(HttpMethod.PATCH, "/manage/projects/{id}", "project.update", call -> projects.update(call)));
        table.add(new Route(HttpMethod.DELETE, "/manage/projects/{id}", "project.delete", call -> projects.delete(call)));
        table.add(new Route(HttpMethod.GET, "/manage/projects/{id}/usage", "project.usage", call -> projects.usage(call)));
        table.add(new Route(HttpMethod.POST, "/manage/projects/{id}/tokens/revoke", "token.revoke_batch", call -> projects.revokeTokens(call)));
        table.add(new Route(HttpMethod.GET, "/manage/tokens", "token.list", call -> keys.list(call)));
        table.add(new Route(HttpMethod.POST, "/manage/tokens", "token.create", call -> keys.create(call)));
        table.add(new Route(HttpMethod.GET, "/manage/tokens/{id}", "token.read", call -> keys.get(call)));
        table.add(new Route(HttpMethod.PATCH, "/manage/tokens/{id}", "token.update", call -> keys.update(call)));
        table.add(new Route(HttpMethod.DELETE, "/manage/tokens/{id}", "token.revoke", call -> keys.revoke(call)));
        table.add(new Route(HttpMethod.GET, "/manage/tokens/{id}/usage", "token.usage", call -> keys.usage(call)));
        table.add(new Route(HttpMethod.GET, "/manage/audit", "audit.list", call -> auditLog.list(call)));
        table.add(new Route(HttpMethod.GET, "/manage/audit/verify", "audit.verify", call -> auditLog.verify(call)));
        table.add(new Route(HttpMethod.GET, "/manage/audit/{id}", "audit.show", call -> auditLog.get(call)));
        return table;
    }

    public void handle(HttpServerRequest request) {
        String requestId = requestId(request);
        HttpServerResponse response = request.response();
        response.putHeader("x-request-id", requestId);
        String path = request.path();
        if (path.equals(OPENAPI_PATH) && request.method() == HttpMethod.GET) {
            response.putHeader("content-type", "application/json").end(openApi);
            return;
        }
        if (tokenHash == null) {
            sendError(response, new ManageException(503, "management_disabled",
                    "the management API is disabled: start the gateway with MANAGEMENT_TOKEN set (and a storage it can open)"));
            return;
        }
        String clientAddress = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String presented = bearer(request.getHeader("authorization"));
        if (presented == null || !MessageDigest.isEqual(tokenHash, sha256(presented))) {
            String message = presented == null ? "missing or invalid Authorization header" : "invalid management token";
            audit.offer(new AuditEntry("anonymous", "manage.auth_failure", path, "denied", requestId, clientAddress,
                    Json.MAPPER.createObjectNode().put("method", request.method().name()).put("reason", message)));
            sendError(response, new ManageException(401, "unauthorized", message));
            return;
        }
        Route route = null;
        List<String> params = List.of();
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Matcher matcher = patterns.get(i).matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            if (routes.get(i).method() != request.method()) {
                allowed.add(routes.get(i).method().name());
                continue;
            }
            route = routes.get(i);
            params = new ArrayList<>();
            for (int g = 1; g <= matcher.groupCount(); g++) {
                params.add(matcher.group(g));
            }
            break;
        }
        if (route == null) {
            sendError(response, allowed.isEmpty()
                    ? ManageException.notFound("no management route " + request.method().name() + " " + path)
                    : new ManageException(405, "method_not_allowed", "method " + request.method().name() + " not allowed here",
                    Map.of("allow", String.join(", ", allowed))));
            return;
        }
        Route matched = route;
        List<String> pathParams = params;
        readBody(request).onComplete(read -> {
            Future<Reply> reply;
            if (read.failed()) {
                reply = Future.failedFuture(read.cause());
            } else {
                reply = run(matched, new ManageCall(pathParams, request.params(), read.result()));
            }
            reply.onComplete(done -> respond(request, matched, requestId, clientAddress, pathParams, done.succeeded() ? done.result() : null,
                    done.failed() ? done.cause() : null));
        });
    }

    private static Future<Reply> run(Route route, ManageCall call) {
        try {
            return route.handler().apply(call);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Audits the action, then answers once the entry is written; an unwritable audit log fails the answer with 500. */
    private void respond(HttpServerRequest request, Route route, String requestId, String clientAddress, List<String> params,
                         Reply reply, Throwable failure) {
        ManageException error = failure == null ? null : asClientError(failure, requestId);
        int status = reply != null ? reply.status() : error.status();
        ObjectNode details = reply != null ? reply.details().deepCopy() : Json.MAPPER.createObjectNode();
        details.put("method", request.method().name()).put("path", request.path()).put("status", status);
        if (error != null) {
            details.put("error", error.getMessage());
        }
        String target = reply != null && reply.target() != null ? reply.target() : params.isEmpty() ? null : params.get(0);
        String outcome = error == null ? "success" : status >= 500 ? "error" : "failure";
        audit.record(new AuditEntry("management", route.action(), target, outcome, requestId, clientAddress, details))
                .onComplete(audited -> {
                    HttpServerResponse response = request.response();
                    if (audited.failed()) {
                        LOG.error("management request {}: the audit entry could not be written, so the answer is an error: {}",
                                requestId, audited.cause().getMessage());
                        sendError(response, new ManageException(500, "audit_unavailable",
                                "the audit log could not be written (request " + requestId + ")"));
                        return;
                    }
                    if (error != null) {
                        sendError(response, error);
                        return;
                    }
                    response.setStatusCode(reply.status());
                    reply.headers().forEach(response::putHeader);
                    if (reply.body() == null) {
                        response.end();
                    } else {
                        response.putHeader("content-type", "application/json").end(Buffer.buffer(Json.write(reply.body())));
                    }
                });
    }

    /** The store's refusals map to 404/409/403; bad values to 400; anything unforeseen to 500 without details. */
    private static ManageException asClientError(Throwable failure, String requestId) {
        if (failure instanceof ManageException manage) {
            return manage;
        }
        if (failure instanceof StoreRejection rejection) {
            return switch (rejection.reason()) {
                case NOT_FOUND -> new ManageException(404, "not_found", rejection.getMessage());
                case DUPLICATE_NAME -> new ManageException(409, "duplicate_name", rejection.getMessage());
                case PROJECT_INACTIVE -> new ManageException(403, "project_inactive", rejection.getMessage());
            };
        }
        if (failure instanceof IllegalArgumentException bad) {
            return ManageException.badRequest(bad.getMessage());
        }
        if (failure instanceof StorageException storage) {
            LOG.error("management request {} failed in the store: {}", requestId, storage.getMessage());
            return new ManageException(500, "storage_error", "the store failed (request " + requestId + ")");
        }
        LOG.error("management request {} failed", requestId, failure);
        return new ManageException(500, "internal_error", "internal error (request " + requestId + ")");
    }

    /** A JSON object body, at most {@link #MAX_BODY_BYTES}; null when the request has none. */
    private static Future<ObjectNode> readBody(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST && request.method() != HttpMethod.PATCH) {
            return Future.succeededFuture(null);
        }
        String length = request.getHeader("content-length");
        if (length != null && (length.length() > 9 || Long.parseLong(length.trim()) > MAX_BODY_BYTES)) {
            return Future.failedFuture(new ManageException(413, "request_too_large", "request body over " + MAX_BODY_BYTES + " bytes"));
        }
        return request.body().compose(bytes -> {
            if (bytes.length() > MAX_BODY_BYTES) {
                throw new ManageException(413, "request_too_large", "request body over " + MAX_BODY_BYTES + " bytes");
            }
            if (bytes.length() == 0) {
                return Future.succeededFuture(null);
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(bytes.getBytes());
            } catch (IOException e) {
                throw ManageException.badRequest("the body is not valid JSON");
            }
            if (!(json instanceof ObjectNode object)) {
                throw ManageException.badRequest("the body must be a JSON object");
            }
            return Future.succeededFuture(object);
        });
    }

    private static void sendError(HttpServerResponse response, ManageException error) {
        response.setStatusCode(error.status());
        error.headers().forEach(response::putHeader);
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", error.getMessage()).put("code", error.code());
        response.putHeader("content-type", "application/json").end(Buffer.buffer(Json.write(body)));
    }

    /** The client's X-Request-ID when it is a plain token (it goes into the audit log), else a new one. */
    private static String requestId(HttpServerRequest request) {
        String given = request.getHeader("x-request-id");
        return given != null && SAFE_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Hashing both sides first makes the comparison constant-time in the token's length as well. */
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    static byte[] openApiDocument() {
        try (InputStream in = ManagementApi.class.getResourceAsStream("openapi.json")) {
            return Objects.requireNonNull(in, "openapi.json is missing from the jar").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
