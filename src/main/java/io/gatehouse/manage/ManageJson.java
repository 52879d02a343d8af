package io.gatehouse.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.AuditRecord;
import io.gatehouse.store.Project;
import io.gatehouse.store.VirtualKey;

import java.time.Instant;

/**
 * The management API's JSON, with llm-proxy's field names. A provider key is never in it, not even masked: a
 * project lists which providers it has a key for. A virtual key's secret appears once, in the answer that created it.
 */
final class ManageJson {
    private ManageJson() {
    }

    static ObjectNode project(Project project) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", project.id())
                .put("name", project.name())
                .put("is_active", project.active());
        ArrayNode providers = json.putArray("providers");
        project.providers().forEach(providers::add);
        time(json, "deactivated_at", project.deactivatedAt());
        time(json, "created_at", project.createdAt());
        time(json, "updated_at", project.updatedAt());
        return json;
    }

    /** A stored key: {@code token} is its display prefix, masked, as llm-proxy's lists show an obfuscated token. */
    static ObjectNode key(VirtualKey key) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", key.id())
                .put("token", key.keyPrefix() + "****")
                .put("name", key.name())
                .put("project_id", key.projectId())
                .put("is_active", key.active());
        time(json, "expires_at", key.expiresAt());
        time(json, "revoked_at", key.revokedAt());
        json.put("request_count", key.requestCount());
        if (key.maxRequests() == null) {
            json.putNull("max_requests");
        } else {
            json.put("max_requests", key.maxRequests());
        }
        ArrayNode models = json.putArray("allowed_models");
        key.allowedModels().forEach(models::add);
        json.set("metadata", Json.MAPPER.valueToTree(key.metadata()));
        time(json, "created_at", key.createdAt());
        time(json, "last_used_at", key.lastUsedAt());
        return json;
    }

    static ObjectNode audit(AuditRecord record) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", record.seq());
        time(json, "timestamp", record.time());
        json.put("actor", record.actor())
                .put("action", record.action())
                .put("target", record.target())
                .put("outcome", record.outcome())
                .put("request_id", record.requestId())
                .put("client_ip", record.clientAddress());
        json.set("details", record.details());
        json.put("prev_hash", record.prevHash()).put("hash", record.hash());
        return json;
    }

    static void time(ObjectNode json, String field, Instant value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value.toString());
        }
    }
}
