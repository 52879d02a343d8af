package io.gatehouse.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionMatch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The seed's console printer: one line per request and per response, with usage and (when asked) a glimpse of the
 * messages, plus lines for what the call meant to its session, driven by the call's events: a new session, each
 * tool result sent back, each LLM call and how it ended, and each tool the model called. It reads the response as
 * it streams past, keeping only what it prints. Config keys: {@code log_requests}, {@code log_responses},
 * {@code log_body}, {@code show_sessions}, {@code show_tools}, {@code show_llm_calls} (the last three need session
 * tracking, which is on by default).
 */
public final class PrinterInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.printer");
    private static final String STATE = "printer.state";
    private static final String SESSION_SHOWN = "printer.session-shown";
    private static final String LISTENING = "printer.listening";
    /** Plain JSON responses larger than this are not kept for their usage figures. */
    private static final int MAX_KEPT_BODY = 1 << 20;
    private static final int REQUEST_PREVIEW = 100;
    private static final int RESPONSE_PREVIEW = 150;
    /** The seed cuts tool results (and we cut tool arguments and error messages) to this many characters. */
    private static final int TOOL_PREVIEW = 100;
    private static final int SESSION_ID_PREFIX = 8;

    private final boolean logRequests;
    private final boolean logResponses;
    private final boolean logBody;
    private final boolean showSessions;
    private final boolean showTools;
    private final boolean showLlmCalls;

    public PrinterInterceptor(boolean logRequests, boolean logResponses, boolean logBody, boolean showSessions,
                              boolean showTools, boolean showLlmCalls) {
        this.logRequests = logRequests;
        this.logResponses = logResponses;
        this.logBody = logBody;
        this.showSessions = showSessions;
        this.showTools = showTools;
        this.showLlmCalls = showLlmCalls;
    }

    public static PrinterInterceptor fromConfig(ObjectNode config) {
        return new PrinterInterceptor(
                config.path("log_requests").asBoolean(true),
                config.path("log_responses").asBoolean(true),
                config.path("log_body").asBoolean(false),
                config.path("show_sessions").asBoolean(true),
                config.path("show_tools").asBoolean(true),
                config.path("show_llm_calls").asBoolean(true));
    }

    @Override
    public String name() {
        return "printer";
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        Call call = chain.call();
        printNewSessionOnce(call, request);
        if (logRequests) {
            JsonNode json = request.json();
            LOG.info("📤 REQUEST {} {} provider={} model={} stream={} id={}", request.method(), request.path(),
                    request.upstream().name(), json == null ? "-" : json.path("model").asText("-"),
                    request.wantsStream(), call.id());
            if (logBody && json != null) {
                logMessages(json);
            }
        }
        listenOnce(call);
        return chain.proceed(request).map(response -> {
            // Listed before the session or events interceptor, the printer finds their work only once they ran.
            attach(call, request);
            if (logResponses) {
                ResponseSummary summary = new ResponseSummary();
                call.attribute(STATE, summary);
                if (response.isEventStream()) {
                    response.observeEvents(summary::onEvent);
                } else if (isJson(response)) {
                    response.observeChunks(summary::onChunk);
                }
            }
            return response;
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        if (end.request() != null) {
            attach(end.call(), end.request());
        }
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
        if (summary != null && logBody && !summary.text.isEmpty()) {
            LOG.info("   ↳ {}", preview(summary.text.toString(), RESPONSE_PREVIEW));
        }
    }

    /**
     * The new-session line and a listener for the call's events (those already emitted first), each once per call
     * and as soon as the interceptor they come from has run. Calls without a session have neither.
     */
    private void attach(Call call, ProxyRequest request) {
        printNewSessionOnce(call, request);
        listenOnce(call);
    }

    private void printNewSessionOnce(Call call, ProxyRequest request) {
        SessionMatch match = call.attribute(SessionInterceptor.MATCH);
        if (!showSessions || match == null || call.attribute(SESSION_SHOWN) != null) {
            return;
        }
        call.attribute(SESSION_SHOWN, Boolean.TRUE);
        if (match.isNew()) {
            JsonNode json = request.json();
            LOG.info("🚀 NEW SESSION {} provider={} model={} at {}", prefix(match.sessionId(), SESSION_ID_PREFIX),
                    request.upstream().name(), json == null ? "-" : json.path("model").asText("-"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private void listenOnce(Call call) {
        CallEvents events = call.attribute(CallEvents.ATTRIBUTE);
        if (!(showTools || showLlmCalls) || events == null || call.attribute(LISTENING) != null) {
            return;
        }
        call.attribute(LISTENING, Boolean.TRUE);
        events.listen(this::print);
    }

    private void print(Event event) {
        ObjectNode attributes = event.attributes();
        switch (event.name()) {
            case Event.TOOL_RESULT -> {
                if (showTools) {
                    LOG.info("🔧 TOOL RESULT {} {}: {}", attributes.path("tool.name").asText("unknown"),
                            attributes.path("tool.status").asText(), preview(text(attributes.path("tool.result")), TOOL_PREVIEW));
                }
            }
            case Event.TOOL_EXECUTION -> {
                if (showTools) {
                    LOG.info("🔧 TOOL USE {} {}", attributes.path("tool.name").asText(),
                            preview(text(attributes.path("tool.params")), TOOL_PREVIEW));
                }
            }
            case Event.LLM_CALL_START -> {
                if (showLlmCalls) {
                    LOG.info("🤖 LLM CALL {} {} new_messages={}", attributes.path("llm.vendor").asText("-"),
                            attributes.path("llm.model").asText("-"),
                            attributes.path("llm.request.data").path("_cylestio_metadata").path("new_messages").asInt());
                }
            }
            case Event.LLM_CALL_FINISH -> {
                if (showLlmCalls) {
                    LOG.info("✅ LLM DONE {} reason={} tokens={} in {} ms", attributes.path("llm.model").asText("-"),
                            attributes.has("llm.response.stop_reason") ? attributes.path("llm.response.stop_reason").asText()
                                    : attributes.path("llm.response.finish_reason").asText("-"),
                            attributes.path("llm.usage.total_tokens").asText("-"),
                            Math.round(attributes.path("llm.response.duration_ms").asDouble()));
                }
            }
            case Event.LLM_CALL_ERROR -> {
                if (showLlmCalls) {
                    LOG.warn("❌ LLM ERROR {} status={}: {}", attributes.path("error.type").asText("-"),
                            attributes.path("http.status_code").asText("-"),
                            preview(attributes.path("error.message").asText(""), TOOL_PREVIEW));
                }
            }
            default -> {
                // session.start is printed from the session match, so the line appears even with events off.
            }
        }
    }

    /** A value as it reads best in one line: a string as itself, anything else as compact JSON. */
    private static String text(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    private static String prefix(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
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

        /** Reads usage and text from a whole response or one stream event, OpenAI or Anthropic. */
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
                appendText(message.path("content").asText(""));
            }
            for (JsonNode block : node.path("content")) {
                readBlock(block);
            }
            readBlock(node.path("content_block"));
            appendText(node.path("delta").path("text").asText(""));
        }

        private void readBlock(JsonNode block) {
            if (block.has("text")) {
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
