package io.gatehouse.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.provider.translate.StopReason;
import io.gatehouse.provider.translate.SseStreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.gatehouse.provider.translate.TokenUsage;


/**
 * A {@code streamGenerateContent?alt=sse} body as unified events. Every {@code data:} frame is a whole
 * GenerateContentResponse holding the next parts of the first candidate: text and thought parts are deltas of the
 * open text or thinking block (a new block opens when the kind changes), a function call arrives whole and makes a
 * block of its own, and the frame with a finishReason, which also holds the final usage, ends the answer. Gemini
 * sends no terminator after it: the end of the body is the end of the stream, and a body that ends before a
 * finishReason was cut. Signatures follow {@link ThoughtSignatures}.
 */
final class GeminiStreamDecoder extends SseStreamDecoder {
    private enum Block {
        NONE, TEXT, THINKING
    }

    private boolean started;
    /** A finishReason came: the answer is complete, whatever follows is ignored. */
    private boolean finished;
    /** The stream reported an error: nothing more is read. */
    private boolean failed;
    private String responseId;
    private TokenUsage latestUsage;
    private int nextIndex;
    private Block open = Block.NONE;
    private int openIndex;
    /** The open thinking block has its signature, which ends a thought run. */
    private boolean openThinkingSigned;
    private int functionCalls;

    @Override
    protected void onEnd() {
        if (!failed) {
            if (finished) {
                emit(new StreamEvent.End());
            } else {
                fail(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Gemini's stream ended before it finished "
                        + "(no finishReason)", "stream_cut"));
            }
        }
    }


    @Override
    protected void onEvent(SseEvent event) {
        if (finished || failed) {
            return;
        }
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            fail(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Gemini sent a stream frame that is not a JSON object",
                    "malformed_response"));
            return;
        }
        JsonNode error = frame.get("error");
        if (error != null && error.isObject()) {
            fail(GeminiErrors.fromErrorObject(502, error));
            return;
        }
        JsonNode usage = frame.get("usageMetadata");
        if (usage != null && usage.isObject()) {
            latestUsage = GeminiResponses.usage(usage);
        }
        if (!started) {
            started = true;
            responseId = GeminiResponses.textOrNull(frame.get("responseId"));
            // The start tells the prompt's size; what the answer costs comes with the finish.
            TokenUsage prompt = latestUsage == null ? TokenUsage.NONE
                    : new TokenUsage(latestUsage.inputTokens(), 0, latestUsage.cachedInputTokens(), 0, 0);
            emit(new StreamEvent.Start(responseId, GeminiResponses.textOrNull(frame.get("modelVersion")),
                    prompt));
        }
        JsonNode candidates = frame.get("candidates");
        JsonNode candidate = candidates != null && candidates.isArray() && !candidates.isEmpty()
                ? candidates.get(0) : null;
        if (candidate == null) {
            if (frame.path("promptFeedback").hasNonNull("blockReason")) {
                finishAnswer(StopReason.CONTENT_FILTER);
            }
            return;
        }
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.isObject()) {
                onPart(part);
            }
            if (failed) {
                return;
            }
        }
        String finishReason = GeminiResponses.textOrNull(candidate.get("finishReason"));
        if (finishReason != null) {
            finishAnswer(GeminiResponses.stopReason(finishReason, functionCalls > 0));
        }
    }

    private void onPart(JsonNode part) {
        String signature = GeminiResponses.textOrNull(part.get("thoughtSignature"));
        String text = GeminiResponses.textOrNull(part.get("text"));
        if (part.path("thought").asBoolean(false)) {
            if (open != Block.THINKING || openThinkingSigned) {
                openBlock(Block.THINKING);
            }
            if (text != null && !text.isEmpty()) {
                emit(new StreamEvent.ThinkingDelta(openIndex, text));
            }
            if (signature != null) {
                emit(new StreamEvent.SignatureDelta(openIndex, ThoughtSignatures.shown(signature)));
                openThinkingSigned = true;
            }
            return;
        }
        JsonNode functionCall = part.get("functionCall");
        if (functionCall != null && functionCall.isObject()) {
            String name = GeminiResponses.textOrNull(functionCall.get("name"));
            if (name == null) {
                fail(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "Gemini streamed a functionCall with no name",
                        "malformed_response"));
                return;
            }
            closeBlock();
            int index = nextIndex++;
            JsonNode args = functionCall.get("args");
            emit(new StreamEvent.ToolCallStart(index,
                    GeminiResponses.toolCallId(functionCall, responseId, functionCalls++), name));
            emit(new StreamEvent.ToolArgumentsDelta(index,
                    args == null || args.isNull() ? "{}" : Json.writeString(args)));
            emit(new StreamEvent.BlockStop(index));
        } else if (text != null && !text.isEmpty()) {
            if (open != Block.TEXT) {
                openBlock(Block.TEXT);
            }
            emit(new StreamEvent.TextDelta(openIndex, text));
        }
        // Inline images come only from image-generation models, which this codec never asks for; the unified
        // stream has no event for them.
        if (signature != null) {
            closeBlock();
            int carrier = nextIndex++;
            emit(new StreamEvent.ThinkingStart(carrier));
            emit(new StreamEvent.SignatureDelta(carrier, ThoughtSignatures.shown(signature)));
            emit(new StreamEvent.BlockStop(carrier));
        }
    }

    private void openBlock(Block kind) {
        closeBlock();
        open = kind;
        openIndex = nextIndex++;
        openThinkingSigned = false;
        emit(kind == Block.TEXT ? new StreamEvent.TextStart(openIndex)
                : new StreamEvent.ThinkingStart(openIndex));
    }

    private void closeBlock() {
        if (open != Block.NONE) {
            emit(new StreamEvent.BlockStop(openIndex));
            open = Block.NONE;
        }
    }

    private void finishAnswer(StopReason stopReason) {
        closeBlock();
        emit(new StreamEvent.Finish(stopReason, null, latestUsage));
        finished = true;
    }

    private void fail(GatewayError error) {
        emit(new StreamEvent.Error(error));
        failed = true;
    }
}
