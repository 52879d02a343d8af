package io.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hash chain's rules, shared by the writer and the verifier: an entry's canonical JSON is compact UTF-8 with
 * object keys sorted at every level, and its hash is the SHA-256 hex of that text, {@code prev_hash} included.
 * The same canonical JSON, with {@code hash} added, is one line of the JSONL file.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private AuditChain() {
    }

    static String hash(long seq, Instant time, AuditEntry entry, String prevHash) {
        return sha256Hex(canonical(fields(seq, time, entry.actor(), entry.action(), entry.target(), entry.outcome(),
                entry.requestId(), entry.clientAddress(), entry.details(), prevHash)));
    }

    /** What {@code record.hash()} should be, recomputed from its other fields. */
    static String expectedHash(AuditRecord record) {
        return sha256Hex(canonical(fields(record.seq(), record.time(), record.actor(), record.action(), record.target(),
                record.outcome(), record.requestId(), record.clientAddress(), record.details(), record.prevHash())));
    }

    /** One JSONL line, without the newline. */
    static String line(AuditRecord record) {
        Map<String, Object> fields = fields(record.seq(), record.time(), record.actor(), record.action(), record.target(),
                record.outcome(), record.requestId(), record.clientAddress(), record.details(), record.prevHash());
        fields.put("hash", record.hash());
        return canonical(fields);
    }

    static AuditRecord parseLine(String line) throws JsonProcessingException {
        JsonNode node = CANONICAL.readTree(line);
        JsonNode details = node.path("details");
        return new AuditRecord(node.path("seq").asLong(), Instant.parse(node.path("time").asText()), text(node, "actor"),
                text(node, "action"), text(node, "target"), text(node, "outcome"), text(node, "request_id"),
                text(node, "client_address"), details.isObject() ? (ObjectNode) details : CANONICAL.createObjectNode(),
                text(node, "prev_hash"), text(node, "hash"));
    }

    static String canonicalDetails(ObjectNode details) {
        return canonical(CANONICAL.convertValue(details, Object.class));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, Object> fields(long seq, Instant time, String actor, String action, String target, String outcome,
                                              String requestId, String clientAddress, ObjectNode details, String prevHash) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", seq);
        fields.put("time", time.toString());
        fields.put("actor", actor);
        fields.put("action", action);
        fields.put("target", target);
        fields.put("outcome", outcome);
        fields.put("request_id", requestId);
        fields.put("client_address", clientAddress);
        // As plain maps, so ORDER_MAP_ENTRIES_BY_KEYS sorts nested objects too.
        fields.put("details", CANONICAL.convertValue(details, Object.class));
        fields.put("prev_hash", prevHash);
        return fields;
    }

    private static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry could not be written as JSON", e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
