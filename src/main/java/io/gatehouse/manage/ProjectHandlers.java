package io.gatehouse.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.auth.KeyLookupCache;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.PageRequest;
import io.gatehouse.store.ProjectChanges;
import io.gatehouse.store.ProjectRepository;
import io.gatehouse.store.VirtualKeyRepository;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /manage/projects}: llm-proxy's routes and fields, plus {@code provider_keys}, search, paging and usage. */
final class ProjectHandlers {
    /** llm-proxy's single {@code api_key} is the key for this provider. */
    static final String API_KEY_PROVIDER = "openai";

    private final ProjectRepository projects;
    private final VirtualKeyRepository keys;
    private final KeyLookupCache keyCache;

    ProjectHandlers(ProjectRepository projects, VirtualKeyRepository keys, KeyLookupCache keyCache) {
        this.projects = projects;
        this.keys = keys;
        this.keyCache = keyCache;
    }

    Future<Reply> list(ManageCall call) {
        return projects.list(Paging.request(call)).map(page -> {
            ArrayNode items = Json.MAPPER.createArrayNode();
            page.items().forEach(project -> items.add(ManageJson.project(project)));
            return Paging.listReply(items, page, null);
        });
    }

    Future<Reply> create(ManageCall call) {
        String name = call.requiredText("name");
        Map<String, String> providerKeys = new LinkedHashMap<>();
        String apiKey = call.text("api_key");
        if (apiKey != null) {
            providerKeys.put(API_KEY_PROVIDER, apiKey);
        }
        ObjectNode given = call.object("provider_keys");
        if (given != null) {
            given.properties().forEach(entry -> {
                if (!entry.getValue().isTextual()) {
                    throw ManageException.badRequest("provider_keys." + entry.getKey() + " must be a string");
                }
                providerKeys.put(entry.getKey(), entry.getValue().textValue());
            });
        }
        providerKeys.forEach(ProjectHandlers::requireRealKey);
        return projects.create(name, providerKeys).map(project -> {
            Reply reply = Reply.created(ManageJson.project(project), project.id());
            reply.details().put("name", project.name()).set("providers", Json.MAPPER.valueToTree(project.providers()));
            return reply;
        });
    }

    Future<Reply> get(ManageCall call) {
        return projects.get(call.id()).compose(found -> {
            if (found.isEmpty()) {
                throw ManageException.notFound("project not found");
            }
            return keys.projectRequestCount(call.id()).map(requests ->
                    Reply.ok(ManageJson.project(found.get()).put("request_count", requests), call.id()));
        });
    }

    /**
     * {@code {name?, api_key?, provider_keys?, is_active?, revoke_tokens?}}; a provider key set to null is removed.
     * Any change drops the project's keys from the lookup cache on every instance, so a deactivation, a revocation
     * or a rotated provider key applies to the next request.
     */
    Future<Reply> update(ManageCall call) {
        String name = call.text("name");
        Boolean active = call.bool("is_active");
        boolean revokeTokens = Boolean.TRUE.equals(call.bool("revoke_tokens"));
        if (revokeTokens && !Boolean.FALSE.equals(active)) {
            throw ManageException.badRequest("revoke_tokens is only allowed with is_active=false");
        }
        Map<String, String> providerKeys = new LinkedHashMap<>();
        Set<String> removed = new HashSet<>();
        String apiKey = call.text("api_key");
        if (apiKey != null) {
            providerKeys.put(API_KEY_PROVIDER, apiKey);
        }
        ObjectNode given = call.object("provider_keys");
        if (given != null) {
            given.properties().forEach(entry -> {
                JsonNode value = entry.getValue();
                if (value.isNull()) {
                    removed.add(entry.getKey());
                } else if (value.isTextual()) {
                    providerKeys.put(entry.getKey(), value.textValue());
                } else {
                    throw ManageException.badRequest("provider_keys." + entry.getKey() + " must be a string or null");
                }
            });
        }
        if (name == null && active == null && providerKeys.isEmpty() && removed.isEmpty()) {
            throw ManageException.badRequest("nothing to update: give name, api_key, provider_keys or is_active");
        }
        providerKeys.forEach(ProjectHandlers::requireRealKey);
        return projects.update(call.id(), new ProjectChanges(name, active, providerKeys, removed, revokeTokens)).map(update -> {
            keyCache.invalidateProject(call.id());
            update.revokedKeyHashes().forEach(keyCache::invalidate);
            Reply reply = Reply.ok(ManageJson.project(update.project()), call.id());
            ArrayNode fields = reply.details().putArray("updated_fields");
            call.body().fieldNames().forEachRemaining(fields::add);
            reply.details().put("tokens_revoked", update.revokedKeyHashes().size());
            return reply;
        });
    }

    /** Projects are never deleted (llm-proxy's rule): deactivate instead, which keeps the history. */
    Future<Reply> delete(ManageCall call) {
        throw new ManageException(405, "method_not_allowed", "project deletion is not permitted; deactivate it with "
                + "PATCH {\"is_active\": false}", Map.of("allow", "GET, PATCH"));
    }

    Future<Reply> revokeTokens(ManageCall call) {
        return projects.get(call.id()).compose(found -> {
            if (found.isEmpty()) {
                throw ManageException.notFound("project not found");
            }
            return keys.list(call.id(), PageRequest.first(1)).compose(all -> keys.revokeAll(call.id()).map(revoked -> {
                revoked.forEach(keyCache::invalidate);
                ObjectNode body = Json.MAPPER.createObjectNode()
                        .put("revoked_count", revoked.size())
                        .put("already_revoked_count", all.total() - revoked.size())
                        .put("total_tokens", all.total());
                Reply reply = Reply.ok(body, call.id());
                reply.details().put("revoked_count", revoked.size());
                return reply;
            }));
        });
    }

    Future<Reply> usage(ManageCall call) {
        return projects.get(call.id()).compose(found -> {
            if (found.isEmpty()) {
                throw ManageException.notFound("project not found");
            }
            return keys.list(call.id(), PageRequest.first(1)).compose(all -> keys.projectRequestCount(call.id()).map(requests ->
                    Reply.ok(Json.MAPPER.createObjectNode()
                            .put("project_id", call.id())
                            .put("request_count", requests)
                            .put("total_tokens", all.total()), call.id())));
        });
    }

    /** llm-proxy's guard: a masked key pasted back from a listing would silently break the project. */
    private static void requireRealKey(String provider, String key) {
        if (key.isBlank()) {
            throw ManageException.badRequest("the key for provider " + provider + " is empty");
        }
        if (key.contains("...") || key.contains("****")) {
            throw ManageException.badRequest("the key for provider " + provider + " looks masked (contains ... or ****); send the real key");
        }
    }
}
