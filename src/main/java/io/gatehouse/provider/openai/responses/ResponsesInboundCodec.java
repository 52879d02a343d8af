package io.gatehouse.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.openai.OpenAiFormat;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.InboundCodec;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.StreamEncoder;
import io.gatehouse.provider.translate.UnifiedRequest;
import io.gatehouse.provider.translate.UnifiedResponse;

import java.time.InstantSource;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as a client speaks it, bridged onto a provider that does not
 * (calls to OpenAI and Azure pass through untranslated). What needs state kept by OpenAI (previous_response_id,
 * conversation, stored prompts, background runs) or its built-in tools is refused with a 400 naming it.
 *
 * <p>Reasoning round-trips through the client: a thinking block comes back as a reasoning item whose summary is
 * the thinking text and whose {@code encrypted_content} is the provider's signature; when the client sends that item
 * back (as it must for Anthropic's extended thinking with tools), it becomes the same thinking block, text and
 * signature intact. A redacted thinking block travels as {@code encrypted_content} alone, marked with
 * {@link OutputItems#REDACTED_THINKING_PREFIX}.
 *
 * <p>The answer echoes the request's settings as OpenAI's does: use {@link #encodeResponse(UnifiedResponse,
 * UnifiedRequest)}; {@link #encodeResponse(UnifiedResponse)} echoes OpenAI's defaults instead. Stateless and
 * thread-safe; {@code created_at} comes from the given clock.
 */
public final class ResponsesInboundCodec implements InboundCodec {
    private final InstantSource clock;

    public ResponsesInboundCodec(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public InboundApi api() {
        return InboundApi.OPENAI_RESPONSES;
    }

    @Override
    public WireFormat format() {
        return OpenAiFormat.INSTANCE;
    }

    @Override
    public UnifiedRequest decodeRequest(JsonNode body) {
        return RequestDecoder.decode(body);
    }

    /** The answer with OpenAI's default settings echoed, for a caller that no longer has the request. */
    @Override
    public JsonNode encodeResponse(UnifiedResponse response) {
        return encodeResponse(response, null);
    }

    /**
     * The answer as a Responses API {@code Response}, echoing {@code request}'s settings (tools, tool_choice,
     * text format, reasoning effort…) as OpenAI does.
     *
     * @param request the request the answer is to, or null for OpenAI's defaults
     */
    @Override
    public JsonNode encodeResponse(UnifiedResponse response, UnifiedRequest request) {
        String id = OutputItems.responseId(response.id());
        ArrayNode output = Json.MAPPER.createArrayNode();
        for (Part part : response.content()) {
            int index = output.size();
            output.add(switch (part) {
                case Part.Text text -> OutputItems.message(
                        OutputItems.itemId(OutputItems.MESSAGE, id, index), "completed", text.text());
                case Part.ToolCall call -> OutputItems.functionCall(
                        OutputItems.itemId(OutputItems.FUNCTION_CALL, id, index), "completed", call.id(), call.name(),
                        OutputItems.arguments(call.arguments()));
                case Part.Thinking thinking -> OutputItems.reasoning(
                        OutputItems.itemId(OutputItems.REASONING, id, index), thinking.text(), thinking.signature());
                case Part.RedactedThinking redacted -> OutputItems.reasoning(
                        OutputItems.itemId(OutputItems.REASONING, id, index), null,
                        OutputItems.REDACTED_THINKING_PREFIX + redacted.data());
                case Part.Image ignored -> throw noOutputItemFor("an image");
                case Part.ToolResult ignored -> throw noOutputItemFor("a tool result");
                case Part.Opaque opaque -> throw noOutputItemFor("a '" + opaque.type() + "' block");
            });
        }
        String incompleteReason = OutputItems.incompleteReason(response.stopReason());
        if (incompleteReason != null && !output.isEmpty()) {
            // The item being written when the answer was cut is incomplete too, as OpenAI marks it.
            ObjectNode last = (ObjectNode) output.get(output.size() - 1);
            if (last.has("status")) {
                last.put("status", "incomplete");
            }
        }
        String model = response.model() != null ? response.model() : request == null ? null : request.model();
        return new ResponseEnvelope(request).render(id, clock.instant().getEpochSecond(), model,
                incompleteReason == null ? "completed" : "incomplete", incompleteReason, null, output,
                response.usage());
    }

    @Override
    public StreamEncoder streamEncoder(UnifiedRequest request) {
        return new ResponsesStreamEncoder(new ResponseEnvelope(request), clock.instant().getEpochSecond());
    }

    /** The provider answered with something a Responses API output has no item for: nothing to hand the client. */
    private static GatewayException noOutputItemFor(String what) {
        return new GatewayException(GatewayError.internal(
                "the provider answered with " + what + ", which the Responses API has no output item for"));
    }
}
