package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The seed's console printer: one line per request and per response, with usage, tool calls and (when
 * asked) a glimpse of the messages. It reads the response as it streams past, keeping only what it prints.
 * Config keys: {@code log_requests}, {@code log_responses}, {@code log_body}, {@code show_tools}.
 */
public final class PrinterInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.printer");
    private static final String STATE = "printer.state";
    /** Plain JSON responses larger than this are not kept for their usage figures. */
    private static final int MAX_KEPT_BODY = 1 << 20;
    private static final int REQUEST_PREVIEW = 100;
    private static final int RESPONSE_PREVIEW = 150;

    private final boolean logRequests;
    private final boolean logResponses;
    private final boolean logBody;
    private final boolean showTools;

    public PrinterInterceptor(boolean logRequests, boolean logResponses, boolean logBody, boolean showTools) {
        this.logRequests = logRequests;
        this.logResponses = logResponses;
        this.logBody = logBody;
        this.showTools = showTools;
    }

    public static PrinterInterceptor fromConfig(ObjectNode config) {
        return new PrinterInterceptor(
                config.path("log_requests").asBoolean(true),
                config.path("log_responses").asBoolean(true),
                config.path("log_body").asBoolean(false),
                config.path("show_tools").asBoolean(true));
    }

    @Override
    public String name() {
        return "printer";
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        if (logRequests) {
            JsonNode json = request.json();
            LOG.info("📤 REQUEST {} {} provider={} model={} stream={} id={}", request.method(), request.path(),
                    request.upstream().name(), json == null ? "-" : json.path("model").asText("-"),
                    request.wantsStream(), chain.call().id());
            if (logBody && json != null) {
                logMessages(json);
            }
        }
        if (!logResponses) {
            return chain.proceed(request);
        }
        return chain.proceed(request).map(response -> {
            ResponseSummary summary = new ResponseSummary();
            chain.call().attribute(STATE, summary);
            if (response.isEventStream()) {
                response.observeEvents(summary::onEvent);
            } else if (isJson(response)) {
                response.observeChunks(summary::onChunk);
            }
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        if (!logResponses) {
            return;
        }
        ResponseSummary summary = end.call().attribute(STATE);
        if (summary != null) {
            summary.finishBody();
        }
        long millis = end.durationNanos() / 1_000_000;
        switch (end.outcome()) {
            case COMPLETED -> LOG.info("📥 RESPONSE {} in {} ms{} id={}", end.status(), millis,
                    summary == null ? "" : summary.usageText(), end.call().id());
            case FAILED -> LOG.warn("❌ ERROR {} after {} ms: {} id={}", end.status(), millis,
                    end.failure() == null ? "failed" : end.failure().message(), end.call().id());
            case ABORTED -> LOG.info("🚫 ABORTED by the client after {} ms id={}", millis, end.call().id());
        }
        if (summary != null && showTools && !summary.tools.isEmpty()) {
            LOG.info("🔧 TOOL USE {}", String.join(", ", summary.tools));
        }
        if (summary != null && logBody && !summary.text.isEmpty()) {
            LOG.info("   ↳ {}", preview(summary.text.toString(), RESPONSE_PREVIEW));
        }
    }

    private static void logMessages(JsonNode json) {
        JsonNode messages = json.has("messages") ? json.get("messages") : json.path("input");
        if (!messages.isArray()) {
            return;
        }
        for (int i = Math.max(0, messages.size() - 3); i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            LOG.info("   {}: {}", message.path("role").asText("?"), preview(textOf(message.path("content")), REQUEST_PREVIEW));
        }
    }

    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static String preview(String text, int max) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    private static boolean isJson(ProxyResponse response) {
        String type = response.headers().get("content-type");
        return type != null && type.contains("json");
    }

    /** What the printer gathers from one response while it streams. */
    private static final class ResponseSummary {
        private Buffer kept = Buffer.buffer();
        private long inputTokens = -1;
        private long outputTokens = -1;
        private final Set<String> tools = new LinkedHashSet<>();
        private final StringBuilder text = new StringBuilder();

        void onChunk(Buffer chunk) {
            if (kept != null && kept.length() + chunk.length() <= MAX_KEPT_BODY) {
                kept.appendBuffer(chunk);
            } else {
                kept = null;
            }
        }

        void finishBody() {
            if (kept == null || kept.length() == 0) {
                return;
            }
            try {
                read(Json.MAPPER.readTree(kept.getBytes()));
            } catch (Exception e) {
                // Not JSON after all: nothing to summarise.
            }
            kept = null;
        }

        void onEvent(SseEvent event) {
            String data = event.data();
            if (data.isEmpty() || data.charAt(0) != '{') {
                return;
            }
            try {
                read(Json.MAPPER.readTree(data));
            } catch (Exception e) {
                // An event that is not JSON carries nothing to summarise.
            }
        }

        /** Reads usage, tool names and text from a whole response or one stream event, OpenAI or Anthropic. */
        private void read(JsonNode node) {
            JsonNode usage = node.has("usage") ? node.get("usage") : node.path("message").path("usage");
            if (usage.isObject()) {
                long in = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(-1));
                long out = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(-1));
                inputTokens = in >= 0 ? in : inputTokens;
                outputTokens = out >= 0 ? out : outputTokens;
            }
            for (JsonNode choice : node.path("choices")) {
                JsonNode message = choice.has("message") ? choice.get("message") : choice.path("delta");
                for (JsonNode call : message.path("tool_calls")) {
                    if (call.path("function").hasNonNull("name")) {
                        tools.add(call.path("function").path("name").asText());
                    }
                }
                appendText(message.path("content").asText(""));
            }
            for (JsonNode block : node.path("content")) {
                readBlock(block);
            }
            readBlock(node.path("content_block"));
            appendText(node.path("delta").path("text").asText(""));
        }

        private void readBlock(JsonNode block) {
            if ("tool_use".equals(block.path("type").asText())) {
                tools.add(block.path("name").asText());
            } else if (block.has("text")) {
                appendText(block.get("text").asText());
            }
        }

        private void appendText(String piece) {
            if (text.length() <= RESPONSE_PREVIEW) {
                text.append(piece);
            }
        }

        String usageText() {
            if (inputTokens < 0 && outputTokens < 0) {
                return "";
            }
            long in = Math.max(0, inputTokens);
            long out = Math.max(0, outputTokens);
            return " usage in+out=" + in + "+" + out + "=" + (in + out);
        }
    }
}
