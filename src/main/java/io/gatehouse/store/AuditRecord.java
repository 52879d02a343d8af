package io.gatehouse.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * An appended audit entry: its place in the chain ({@link #seq()}, from 1), and {@link #hash()}, the SHA-256 of
 * its canonical JSON, which includes {@link #prevHash()}, the hash of the entry before it.
 */
public record AuditRecord(long seq, Instant time, String actor, String action, String target, String outcome,
                          String requestId, String clientAddress, ObjectNode details, String prevHash, String hash) {
}
