package io.gatehouse.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.TokenUsage;

/**
 * The words the Messages API and the unified shape name the same things with: stop reasons, token counts and error
 * types, in both directions, shared by the inbound and the outbound codec.
 */
final class MessagesVocabulary {

    private MessagesVocabulary() {
    }

    static StopReason stopReason(String anthropic) {
        if (anthropic == null) {
            return null;
        }
        return switch (anthropic) {
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.CONTENT_FILTER;
            case "pause_turn" -> StopReason.PAUSE;
            // end_turn, and reasons added after this was written: the model stopped of its own accord.
            default -> StopReason.END_TURN;
        };
    }

    static String stopReason(StopReason unified) {
        if (unified == null) {
            return null;
        }
        return switch (unified) {
            case END_TURN -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case MAX_TOKENS -> "max_tokens";
            case TOOL_USE -> "tool_use";
            case CONTENT_FILTER -> "refusal";
            case PAUSE -> "pause_turn";
        };
    }

    /**
     * Token counts as Anthropic reports them: {@code input_tokens} excludes the prompt tokens read from or written to
     * the cache, which it counts apart. Anthropic reports no reasoning tokens (they are in {@code output_tokens}).
     */
    record Usage(long inputTokens, long cacheCreationInputTokens, long cacheReadInputTokens, long outputTokens) {

        static Usage of(TokenUsage unified) {
            if (unified == null) {
                return new Usage(0, 0, 0, 0);
            }
            long uncached = unified.inputTokens() - unified.cachedInputTokens() - unified.cacheWriteTokens();
            return new Usage(Math.max(0, uncached), unified.cacheWriteTokens(), unified.cachedInputTokens(),
                    unified.outputTokens());
        }

        /** The counts of an Anthropic usage object; absent or null fields count as 0. */
        static Usage of(JsonNode usage) {
            return new Usage(0, 0, 0, 0).updatedBy(usage);
        }

        /** These counts with every field the (partial) usage object carries replaced, as message_delta updates them. */
        Usage updatedBy(JsonNode usage) {
            if (usage == null || !usage.isObject()) {
                return this;
            }
            return new Usage(count(usage, "input_tokens", inputTokens),
                    count(usage, "cache_creation_input_tokens", cacheCreationInputTokens),
                    count(usage, "cache_read_input_tokens", cacheReadInputTokens),
                    count(usage, "output_tokens", outputTokens));
        }

        private static long count(JsonNode usage, String field, long otherwise) {
            JsonNode value = usage.get(field);
            return value != null && value.isNumber() ? value.longValue() : otherwise;
        }

        /** As the unified shape counts: every prompt token in {@code inputTokens}, cached ones included. */
        TokenUsage unified() {
            return new TokenUsage(inputTokens + cacheReadInputTokens + cacheCreationInputTokens, outputTokens,
                    cacheReadInputTokens, cacheCreationInputTokens, 0);
        }
    }

    /** The HTTP status Anthropic documents for each of its error types. */
    static int statusOfErrorType(String type) {
        if (type == null) {
            return 500;
        }
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    static ErrorKind kindOfStatus(int status) {
        return switch (status) {
            case 400 -> ErrorKind.INVALID_REQUEST;
            case 401 -> ErrorKind.AUTHENTICATION;
            case 402, 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 413 -> ErrorKind.REQUEST_TOO_LARGE;
            case 429 -> ErrorKind.RATE_LIMIT;
            case 504 -> ErrorKind.UPSTREAM_TIMEOUT;
            // Overloaded (529) and the edge's 502/503: the provider cannot take the call now, as when unreachable.
            case 502, 503, 529 -> ErrorKind.UPSTREAM_UNREACHABLE;
            default -> status >= 400 && status < 500 ? ErrorKind.INVALID_REQUEST : ErrorKind.INTERNAL;
        };
    }

    /**
     * An Anthropic error object ({@code {"type":"overloaded_error","message":"Overloaded"}}) as the gateway's error,
     * keeping Anthropic's type as the code; {@code status} is the HTTP status, or 0 inside a stream (the response
     * status is long sent), where the type's documented status stands in.
     */
    static GatewayError error(int status, JsonNode error) {
        String type = error != null && error.path("type").isTextual() ? error.get("type").textValue() : null;
        String message = error != null && error.path("message").isTextual() ? error.get("message").textValue() : null;
        int effectiveStatus = status > 0 ? status : statusOfErrorType(type);
        if (message == null) {
            message = "Anthropic failed with HTTP status " + effectiveStatus + (type == null ? "" : " (" + type + ")");
        }
        return new GatewayError(kindOfStatus(effectiveStatus), effectiveStatus, message, type);
    }
}
