package io.gatehouse.session;

/** 128 bits of a SHA-256 over a conversation state: far too many for two different states to meet by chance. */
record Signature(long high, long low) {
}
