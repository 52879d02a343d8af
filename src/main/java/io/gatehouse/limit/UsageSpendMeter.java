package io.gatehouse.limit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.provider.ResponseCapture;
import io.gatehouse.provider.StreamAssembler;

import java.util.Iterator;
import java.util.Map;

/**
 * Prices calls from {@link Prices} and the usage the provider reports: in the plain body, or in the stream as
 * assembled by {@link StreamAssemblers} (OpenAI's final usage chunk, Anthropic's message_start and message_delta).
 *
 * <p>Before the call, the input is estimated at four characters a token (images at {@value #IMAGE_TOKENS} tokens
 * each) and the output at the call's max-token field ({@code max_completion_tokens}, {@code max_output_tokens},
 * {@code max_tokens}; times {@code n}), else {@code default_max_output_tokens}. After it:
 * <ul>
 *   <li>reported usage, when there is any (input counted with cached and cache-creation tokens, all at the input
 *       price: never below the real cost);</li>
 *   <li>an error status from the provider: nothing, as providers do not bill refused calls;</li>
 *   <li>no reported usage (a stream without usage, one cut short, a client that left): the input estimate plus the
 *       output that arrived, at four characters a token; nothing arrived at all: the input estimate, except when the
 *       upstream was never reached.</li>
 * </ul>
 */
public final class UsageSpendMeter implements SpendMeter {
    static final int IMAGE_TOKENS = 1_000;
    private static final String WATCH = "gatehouse.limit.usage";

    private final Prices prices;
    private final long defaultMaxOutputTokens;

    UsageSpendMeter(Prices prices, long defaultMaxOutputTokens) {
        this.prices = prices;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    /** Prices from {@code limits.prices}, output reserved from {@code limits.default_max_output_tokens}. */
    public static UsageSpendMeter from(LimitsConfig config) {
        return new UsageSpendMeter(new Prices(config.prices()), config.defaultMaxOutputTokens());
    }

    /** Whether {@code limits.prices} names {@code model} (exactly or by prefix), rather than leaving it the default. */
    boolean pricesExplicitly(String model) {
        return prices.isListed(model);
    }

    @Override
    public Spend maximum(ProxyRequest request) {
        JsonNode json = request.json();
        return json == null || !json.isObject() ? Spend.ZERO : maximum(request, inputTokens(json));
    }

    /** As {@link #maximum(ProxyRequest)}, for a request with a JSON object body whose input was already measured. */
    Spend maximum(ProxyRequest request, long input) {
        JsonNode json = request.json();
        long output = maxOutputTokens(json, request.path());
        return new Spend(input + output, prices.nanoUsd(model(json), input, output));
    }

    @Override
    public void observe(Call call, ProxyRequest request, ProxyResponse response) {
        if (response.status() >= 400) {
            return;
        }
        // Shared with the cost and events interceptors: the response is parsed once however many read it.
        call.attribute(WATCH, ResponseCapture.watch(call, response, request.clientFormat().type(), request.path()));
    }

    @Override
    public Spend actual(CallEnd end, Spend maximum) {
        if (end.status() >= 400) {
            return Spend.ZERO;
        }
        ResponseCapture watch = end.call().attribute(WATCH);
        if (watch == null) {
            boolean neverSent = end.failure() != null && end.failure().kind() == ErrorKind.UPSTREAM_UNREACHABLE;
            return neverSent || end.request().json() == null ? Spend.ZERO : inputOnly(end.request().json());
        }
        JsonNode request = end.request().json();
        // A finished OpenAI chat stream that reported its usage is read from that chunk alone, unassembled.
        JsonNode usageChunk = end.outcome() == CallOutcome.COMPLETED ? watch.completedStreamUsageChunk() : null;
        if (usageChunk != null) {
            long input = count(usageChunk.path("usage"), "prompt_tokens");
            long output = count(usageChunk.path("usage"), "completion_tokens");
            String model = usageChunk.path("model").isTextual() ? usageChunk.path("model").textValue() : model(request);
            return new Spend(input + output, prices.nanoUsd(model, input, output));
        }
        StreamAssembler assembler = watch.assembler();
        if (end.response() != null && end.response().isEventStream() && assembler == null) {
            return maximum; // A stream of an API the gateway does not assemble: what was reserved stays spent.
        }
        JsonNode body = watch.body();
        if (body == null) {
            return request == null ? Spend.ZERO : inputOnly(request);
        }
        String model = body.path("model").isTextual() ? body.path("model").textValue() : request == null ? null : model(request);
        JsonNode usage = body.path("usage");
        long outputSeen = textLength(answerOf(body)) / 4;
        if (usage.isObject()) {
            long input = count(usage, "prompt_tokens", "input_tokens") + count(usage, "cache_read_input_tokens")
                    + count(usage, "cache_creation_input_tokens");
            long output = count(usage, "completion_tokens", "output_tokens");
            if (assembler != null && !assembler.complete()) {
                // A stream cut short carries Anthropic's opening usage only: its output so far is in the content.
                output = Math.max(output, outputSeen);
            }
            return new Spend(input + output, prices.nanoUsd(model, input, output));
        }
        long input = request == null ? 0 : inputTokens(request);
        return new Spend(input + outputSeen, prices.nanoUsd(model, input, outputSeen));
    }

    private Spend inputOnly(JsonNode request) {
        long input = inputTokens(request);
        return new Spend(input, prices.nanoUsd(model(request), input, 0));
    }

    /** What the call sent, as tokens: text at four characters a token, images at {@value #IMAGE_TOKENS} each. */
    static long inputTokens(JsonNode json) {
        long[] charsAndImages = new long[2];
        measure(json, null, charsAndImages);
        return (charsAndImages[0] + 3) / 4 + charsAndImages[1] * IMAGE_TOKENS;
    }

    private static void measure(JsonNode node, String field, long[] charsAndImages) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.startsWith("data:") || "data".equals(field) && text.length() > 256) {
                charsAndImages[1]++;
            } else if (!"model".equals(field)) {
                charsAndImages[0] += text.length();
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                measure(entry.getValue(), entry.getKey(), charsAndImages);
            }
        } else if (node.isArray()) {
            node.forEach(element -> measure(element, field, charsAndImages));
        }
    }

    private long maxOutputTokens(JsonNode json, String path) {
        if (path.endsWith("/embeddings") || path.endsWith("/count_tokens")) {
            return 0;
        }
        long choices = Math.max(1, json.path("n").asLong(1));
        for (String field : new String[]{"max_completion_tokens", "max_output_tokens", "max_tokens"}) {
            JsonNode value = json.path(field);
            if (value.canConvertToLong() && value.asLong() >= 0) {
                return value.asLong() * choices;
            }
        }
        return defaultMaxOutputTokens * choices;
    }

    private static String model(JsonNode json) {
        return json.path("model").isTextual() ? json.path("model").textValue() : null;
    }

    /** The answer's content: OpenAI Chat's choices, the Responses API's output, Anthropic's content blocks. */
    private static JsonNode answerOf(JsonNode body) {
        for (String field : new String[]{"choices", "output", "content"}) {
            if (body.has(field)) {
                return body.get(field);
            }
        }
        return Json.MAPPER.missingNode();
    }

    private static long textLength(JsonNode node) {
        long[] charsAndImages = new long[2];
        measure(node, null, charsAndImages);
        return charsAndImages[0];
    }

    /** The first of {@code fields} that is a number, else 0. */
    private static long count(JsonNode usage, String... fields) {
        for (String field : fields) {
            JsonNode value = usage.path(field);
            if (value.isNumber()) {
                return value.longValue();
            }
        }
        return 0;
    }
}
