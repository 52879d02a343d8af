package io.gatehouse.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.auth.KeyLookupCache;
import io.gatehouse.auth.VirtualKeySecrets;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.KeyChanges;
import io.gatehouse.store.NewVirtualKey;
import io.gatehouse.store.VirtualKey;
import io.gatehouse.store.VirtualKeyRepository;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /manage/tokens}: virtual keys, with llm-proxy's routes and fields plus name, allowed models, metadata,
 * search, paging and usage. The secret is returned once, as {@code token}, by the create call; only its hash is kept.
 */
final class KeyHandlers {
    /** llm-proxy's bound: a year. */
    static final long MAX_DURATION_MINUTES = 525_600;
    private static final int MAX_METADATA_ENTRIES = 32;
    private static final int MAX_LABEL_LENGTH = 200;

    private final VirtualKeyRepository keys;
    private final KeyLookupCache keyCache;
    private final VirtualKeySecrets secrets = new VirtualKeySecrets();
    private final Clock clock;

    KeyHandlers(VirtualKeyRepository keys, KeyLookupCache keyCache, Clock clock) {
        this.keys = keys;
        this.keyCache = keyCache;
        this.clock = clock;
    }

    /** {@code ?project_id=} (or llm-proxy's {@code projectId}), {@code search} over names, paging. */
    Future<Reply> list(ManageCall call) {
        String projectId = call.query("project_id") != null ? call.query("project_id") : call.query("projectId");
        return keys.list(projectId, Paging.request(call)).map(page -> {
            ArrayNode items = Json.MAPPER.createArrayNode();
            page.items().forEach(key -> items.add(ManageJson.key(key)));
            return Paging.listReply(items, page, projectId);
        });
    }

    /** {@code {project_id, duration_minutes?, max_requests?, name?, allowed_models?, metadata?}}; no duration: no expiry. */
    Future<Reply> create(ManageCall call) {
        String projectId = call.requiredText("project_id");
        Long minutes = call.integer("duration_minutes", 1, MAX_DURATION_MINUTES);
        Long maxRequests = call.integer("max_requests", 0, Long.MAX_VALUE);
        String name = label(call.text("name"), "name");
        List<String> allowedModels = call.strings("allowed_models");
        Map<String, String> metadata = metadata(call);
        Instant expiresAt = minutes == null ? null : Instant.ofEpochMilli(clock.millis()).plus(Duration.ofMinutes(minutes));
        VirtualKeySecrets.Issued issued = secrets.issue();
        NewVirtualKey spec = new NewVirtualKey(projectId, name, issued.hash(), issued.displayPrefix(), expiresAt,
                maxRequests, allowedModels, metadata);
        return keys.create(spec).map(key -> {
            ObjectNode body = ManageJson.key(key);
            // The one time the secret leaves the gateway.
            body.put("token", issued.secret());
            Reply reply = Reply.created(body, key.id());
            reply.details().put("project_id", projectId).put("max_requests", key.maxRequests());
            ManageJson.time(reply.details(), "expires_at", key.expiresAt());
            return reply;
        });
    }

    Future<Reply> get(ManageCall call) {
        return keys.get(call.id()).map(found -> Reply.ok(ManageJson.key(existing(found)), call.id()));
    }

    /** {@code {is_active?, max_requests?, name?, allowed_models?, metadata?}}; {@code max_requests: 0} lifts the quota. */
    Future<Reply> update(ManageCall call) {
        Boolean active = call.bool("is_active");
        Long maxRequests = call.integer("max_requests", 0, Long.MAX_VALUE);
        String name = label(call.text("name"), "name");
        List<String> allowedModels = call.strings("allowed_models");
        Map<String, String> metadata = call.has("metadata") ? metadata(call) : null;
        if (active == null && maxRequests == null && name == null && allowedModels == null && metadata == null) {
            throw ManageException.badRequest("nothing to update: give is_active, max_requests, name, allowed_models or metadata");
        }
        return keys.update(call.id(), new KeyChanges(name, active, maxRequests, null, allowedModels, metadata)).map(found -> {
            VirtualKey key = existing(found);
            keyCache.invalidate(key.keyHash());
            Reply reply = Reply.ok(ManageJson.key(key), key.id());
            ArrayNode fields = reply.details().putArray("updated_fields");
            call.body().fieldNames().forEachRemaining(fields::add);
            return reply;
        });
    }

    /** Revokes at once, here and (over Redis) on every instance; idempotent, as in llm-proxy. */
    Future<Reply> revoke(ManageCall call) {
        return keys.update(call.id(), KeyChanges.revoke()).map(found -> {
            VirtualKey key = existing(found);
            keyCache.invalidate(key.keyHash());
            return Reply.noContent(key.id());
        });
    }

    Future<Reply> usage(ManageCall call) {
        return keys.get(call.id()).map(found -> {
            VirtualKey key = existing(found);
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("id", key.id())
                    .put("project_id", key.projectId())
                    .put("request_count", key.requestCount());
            if (key.maxRequests() == null) {
                body.putNull("max_requests").putNull("remaining");
            } else {
                body.put("max_requests", key.maxRequests()).put("remaining", Math.max(0, key.maxRequests() - key.requestCount()));
            }
            ManageJson.time(body, "last_used_at", key.lastUsedAt());
            return Reply.ok(body, key.id());
        });
    }

    private static VirtualKey existing(Optional<VirtualKey> found) {
        return found.orElseThrow(() -> ManageException.notFound("token not found"));
    }

    /** Free labels (user, team, feature, …) that limits and budgets group by: strings only, bounded. */
    private static Map<String, String> metadata(ManageCall call) {
        ObjectNode given = call.object("metadata");
        if (given == null) {
            return Map.of();
        }
        if (given.size() > MAX_METADATA_ENTRIES) {
            throw ManageException.badRequest("metadata has more than " + MAX_METADATA_ENTRIES + " entries");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        given.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw ManageException.badRequest("metadata." + entry.getKey() + " must be a string");
            }
            metadata.put(label(entry.getKey(), "a metadata key"), label(entry.getValue().textValue(), "metadata." + entry.getKey()));
        });
        return metadata;
    }

    private static String label(String value, String what) {
        if (value != null && value.length() > MAX_LABEL_LENGTH) {
            throw ManageException.badRequest(what + " is longer than " + MAX_LABEL_LENGTH + " characters");
        }
        return value;
    }
}
