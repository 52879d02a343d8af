package io.gatehouse.session;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds one {@link Message}: its canonical form as {@code tag=length:value;} fields, so no two different
 * messages can run together into the same string, and its plain text alongside.
 */
final class MessageBuilder {
    private final StringBuilder canonical = new StringBuilder();
    private final StringBuilder text = new StringBuilder();

    /** Text the author wrote; it is part of both the canonical form and the plain text. */
    MessageBuilder text(String value) {
        if (value == null) {
            return this;
        }
        field("text", value);
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(value);
        return this;
    }

    MessageBuilder field(String tag, String value) {
        if (value != null) {
            canonical.append(tag).append('=').append(value.length()).append(':').append(value).append(';');
        }
        return this;
    }

    /** A textual JSON value as is; anything else in canonical JSON. */
    MessageBuilder value(String tag, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return this;
        }
        return field(tag, value.isTextual() ? value.asText() : CanonicalJson.write(value));
    }

    /** Inline binary data (base64, data URLs): its digest stands for it, as the data itself can be megabytes. */
    MessageBuilder payload(String tag, String data) {
        return data == null ? this : field(tag, "sha256:" + Digests.sha256Hex(data));
    }

    /** A reference that is either a URL or an inline {@code data:} URL. */
    MessageBuilder url(String tag, String url) {
        return url != null && url.startsWith("data:") ? payload(tag, url) : field(tag, url);
    }

    /** Parts nested inside this message, such as the content of a tool result, kept as one field. */
    MessageBuilder nested(String tag, MessageBuilder parts) {
        return field(tag, parts.canonical.toString());
    }

    /** A part of a type this class has no rule for: all of it, so nothing that tells messages apart is lost. */
    MessageBuilder unknownPart(JsonNode part) {
        return field("part", CanonicalJson.writeBlock(part));
    }

    Message build(String role, Message.Origin origin) {
        return new Message(role, origin, text.toString(), canonical.toString());
    }

    static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
