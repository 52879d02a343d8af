package io.gatehouse.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Call;
import io.gatehouse.provider.ResponseCapture;
import io.gatehouse.provider.StreamAssembler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Watches one upstream attempt's response to find what it consumed, through its {@link ResponseCapture}: a stream is
 * assembled as it passes (into the body the same call would have returned unstreamed, usage included when the
 * upstream sent it), a plain body is kept up to {@link ResponseCapture#MAX_KEPT_BODY_BYTES} and parsed once; past
 * that the usage is counted from the request. Touched only on the call's event loop.
 */
final class CallMeter {
    private final Endpoint endpoint;
    private final String providerType;
    private final String path;
    private final JsonNode request;
    private ResponseCapture capture;
    /** The prompt's tokens, counted on a worker while the answer streams; null when not counted ahead. */
    private Future<Long> promptCount;

    CallMeter(Endpoint endpoint, String providerType, String path, JsonNode request) {
        this.endpoint = endpoint;
        this.providerType = providerType;
        this.path = path;
        this.request = request;
    }

    /**
     * Starts counting a long prompt ({@code bodyBytes} over {@link TokenCounter#INLINE_COUNT_LIMIT_BYTES}) on a worker
     * when the answer is known to come without usage (an OpenAI Chat or Completions stream without
     * {@code stream_options.include_usage}), so that it is not counted on the event loop when the call ends. A short
     * prompt is counted at the end, cheaper than the hop; answers that carry their usage are not counted at all.
     */
    void countPromptAheadIfUnreported(Vertx vertx, int bodyBytes) {
        boolean unreportedStream = bodyBytes > TokenCounter.INLINE_COUNT_LIMIT_BYTES
                && (endpoint == Endpoint.CHAT || endpoint == Endpoint.COMPLETIONS)
                && request.path("stream").asBoolean(false)
                && !request.path("stream_options").path("include_usage").asBoolean(false);
        if (unreportedStream) {
            String model = requestedModel();
            promptCount = vertx.executeBlocking(() -> TokenCounter.countInput(endpoint, model, request), false);
        }
    }

    /** Watches the response, sharing what the call's other readers (events) already watch. */
    void observe(Call call, ProxyResponse response) {
        capture = ResponseCapture.watch(call, response, providerType, path);
    }

    /** The model the request asked for, or null. */
    String requestedModel() {
        return request.path("model").textValue();
    }

    /**
     * What the attempt consumed, or null when nothing was billed: no response, or an error status. The upstream's
     * reported usage wins; without it the request and the answer are counted ({@code estimated}). A stream cut short
     * (or left by the client) is billed by the provider for what it generated, which its partial usage understates:
     * the larger of the reported and the counted output is taken, marked estimated.
     */
    Metered finish(CallEnd end) {
        if (end.response() == null || end.response().status() >= 400) {
            return null;
        }
        Metered fromUsageAlone = fromUsageAlone(end);
        if (fromUsageAlone != null) {
            return fromUsageAlone;
        }
        JsonNode body = capture == null ? null : capture.body();
        StreamAssembler assembler = capture == null ? null : capture.assembler();
        String model = body != null && body.path("model").isTextual() ? body.path("model").textValue() : requestedModel();
        CallUsage reported = ReportedUsage.of(endpoint, body);
        boolean complete = end.outcome() == CallOutcome.COMPLETED && (assembler == null || assembler.complete());
        if (reported != null && complete) {
            return new Metered(model, reported);
        }
        long countedOutput = TokenCounter.countOutput(endpoint, model, body);
        if (reported == null) {
            return new Metered(model, CallUsage.counted(promptTokens(model), countedOutput));
        }
        return new Metered(model, new CallUsage(reported.inputTokens(), reported.cachedInputTokens(),
                reported.cacheWriteTokens(), reported.cacheWrite1hTokens(), Math.max(reported.outputTokens(), countedOutput),
                reported.reasoningTokens(), true));
    }

    /**
     * A complete answer that reported its usage, billed from its model and usage alone: an OpenAI chat stream from its
     * final chunk, a plain answer from those two fields read without a tree of the rest. The same usage its whole
     * body would report, without parsing every event or field; null when the answer offers no such shortcut.
     */
    private Metered fromUsageAlone(CallEnd end) {
        if (capture == null || end.outcome() != CallOutcome.COMPLETED) {
            return null;
        }
        JsonNode usage = capture.assemblesStream() ? capture.completedStreamUsageChunk() : capture.plainBodyUsage();
        CallUsage reported = usage == null ? null : ReportedUsage.of(endpoint, usage);
        if (reported == null) {
            return null;
        }
        return new Metered(usage.path("model").isTextual() ? usage.path("model").textValue() : requestedModel(), reported);
    }

    /** The prompt counted ahead when that has finished (for the requested model's encoding), else counted now. */
    private long promptTokens(String model) {
        if (promptCount != null && promptCount.succeeded()
                && TokenCounter.encodingFor(model) == TokenCounter.encodingFor(requestedModel())) {
            return promptCount.result();
        }
        return TokenCounter.countInput(endpoint, model, request);
    }

    /** The model that answered and what it consumed. */
    record Metered(String model, CallUsage usage) {
    }
}
