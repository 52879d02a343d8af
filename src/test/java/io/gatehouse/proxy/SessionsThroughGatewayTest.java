package io.gatehouse.proxy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.session.CallIdentity;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionMatch;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and agents seen from the client: the official SDKs through a running gateway, against the fake
 * provider, reading the {@code x-gatehouse-session-id} and {@code x-gatehouse-agent-id} response headers.
 */
class SessionsThroughGatewayTest extends GatewayTestSupport {
    private static final String OPENAI_KEY = "sk-gateway-openai-0123456789";
    private static final String ANTHROPIC_KEY = "sk-ant-gateway-0123456789";
    private static final String SESSION = "x-gatehouse-session-id";
    private static final String AGENT = "x-gatehouse-agent-id";
    private static final String SYSTEM = "You are a careful travel agent.";

    private FakeUpstream openaiUpstream;
    private FakeUpstream anthropicUpstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;
    private AnthropicClient anthropic;
    /** The identity each call left for later interceptors, as an interceptor after the session one sees it. */
    private final LinkedBlockingQueue<CallIdentity> identities = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        openaiUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, OPENAI_KEY));
        anthropicUpstream = FakeUpstream.start(vertx, new DemoUpstream.Options(0, ANTHROPIC_KEY));
        gateway = TestGateway.builder()
                .provider("openai", "openai", openaiUpstream.baseUrl(), OPENAI_KEY)
                .provider("anthropic", "anthropic", anthropicUpstream.baseUrl(), ANTHROPIC_KEY)
                .provider(new ProviderConfig("down", "openai", "http://127.0.0.1:1", OPENAI_KEY, null, 1.0, null, 0))
                .interceptor(new IdentityProbe())
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-placeholder")
                .maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/anthropic").apiKey("client-placeholder")
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        gateway.close();
        openaiUpstream.close();
        anthropicUpstream.close();
    }

    private final class IdentityProbe implements Interceptor {
        @Override
        public String name() {
            return "identity-probe";
        }

        @Override
        public Future<ProxyResponse> intercept(Chain chain) {
            CallIdentity identity = chain.call().attribute(SessionInterceptor.IDENTITY);
            SessionMatch match = chain.call().attribute(SessionInterceptor.MATCH);
            if (identity != null && match != null) {
                identities.add(identity);
            }
            return chain.proceed(chain.request());
        }
    }

    private com.openai.core.http.HttpResponseFor<ChatCompletion> chat(ChatCompletionCreateParams params) {
        return openai.chat().completions().withRawResponse().create(params);
    }

    private static String header(com.openai.core.http.HttpResponseFor<?> response, String name) {
        List<String> values = response.headers().values(name);
        assertThat(values).as(name).hasSize(1);
        return values.getFirst();
    }

    private static String header(HttpResponseFor<?> response, String name) {
        List<String> values = response.headers().values(name);
        assertThat(values).as(name).hasSize(1);
        return values.getFirst();
    }

    private static String defaultAgentId(String systemPrompt) throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(systemPrompt.getBytes(StandardCharsets.UTF_8));
        return "prompt-" + HexFormat.of().formatHex(md5).substring(0, 12);
    }

    @Test
    void aGrowingOpenAiConversationKeepsItsSessionAndAnIdenticalNewOneGetsAnother() throws Exception {
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("demo-gpt")
                .addSystemMessage(SYSTEM).addUserMessage("Book me a flight to Lisbon");
        var first = chat(conversation.build());
        String session = header(first, SESSION);
        assertThat(header(first, AGENT)).isEqualTo(defaultAgentId(SYSTEM));

        conversation.addMessage(first.parse().choices().getFirst().message()).addUserMessage("Make it a window seat");
        var second = chat(conversation.build());
        conversation.addMessage(second.parse().choices().getFirst().message()).addUserMessage("And a hotel");
        var third = chat(conversation.build());
        assertThat(header(second, SESSION)).isEqualTo(session);
        assertThat(header(third, SESSION)).isEqualTo(session);

        var again = chat(ChatCompletionCreateParams.builder().model("demo-gpt")
                .addSystemMessage(SYSTEM).addUserMessage("Book me a flight to Lisbon").build());
        assertThat(header(again, SESSION)).isNotEqualTo(session);
        assertThat(header(again, AGENT)).isEqualTo(defaultAgentId(SYSTEM));
    }

    @Test
    void aGrowingAnthropicConversationKeepsItsSession() throws Exception {
        MessageCreateParams.Builder conversation = MessageCreateParams.builder().model("demo-claude").maxTokens(100)
                .system(SYSTEM).addUserMessage("Plan a weekend in Porto");
        HttpResponseFor<Message> first = anthropic.messages().withRawResponse().create(conversation.build());
        String session = header(first, SESSION);
        assertThat(header(first, AGENT)).isEqualTo(defaultAgentId(SYSTEM));
        conversation.addMessage(first.parse()).addUserMessage("Add a wine tasting");
        HttpResponseFor<Message> second = anthropic.messages().withRawResponse().create(conversation.build());
        conversation.addMessage(second.parse()).addUserMessage("And a boat trip");
        HttpResponseFor<Message> third = anthropic.messages().withRawResponse().create(conversation.build());
        assertThat(header(second, SESSION)).isEqualTo(session);
        assertThat(header(third, SESSION)).isEqualTo(session);

        HttpResponseFor<Message> fresh = anthropic.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("demo-claude").maxTokens(100).system(SYSTEM).addUserMessage("Plan a weekend in Porto").build());
        assertThat(header(fresh, SESSION)).isNotEqualTo(session);
    }

    @Test
    void externalSessionAndAgentIdsAreEchoed() {
        var cylestio = chat(ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage("hi")
                .putAdditionalHeader("x-cylestio-conversation-id", "conv-42")
                .putAdditionalHeader("x-cylestio-prompt-id", "travel-agent").build());
        assertThat(header(cylestio, SESSION)).isEqualTo("conv-42");
        assertThat(header(cylestio, AGENT)).isEqualTo("travel-agent");

        var own = chat(ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage("a different start")
                .putAdditionalHeader("x-gatehouse-session-id", "conv-42")
                .putAdditionalHeader("x-gatehouse-agent-id", "booking-agent").build());
        assertThat(header(own, SESSION)).isEqualTo("conv-42");
        assertThat(header(own, AGENT)).isEqualTo("booking-agent");

        HttpResponseFor<Message> claude = anthropic.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("demo-claude").maxTokens(50).addUserMessage("hi")
                .putAdditionalHeader("x-cylestio-session-id", "legacy-7")
                .putAdditionalHeader("x-cylestio-agent-id", "legacy-agent").build());
        assertThat(header(claude, SESSION)).isEqualTo("legacy-7");
        assertThat(header(claude, AGENT)).isEqualTo("legacy-agent");
    }

    @Test
    void identityHeadersNeverReachTheUpstream() throws Exception {
        Map<String, String> identityHeaders = Map.of(
                "x-gatehouse-session-id", "s1", "x-gatehouse-agent-id", "a1", "x-gatehouse-tags", "k:v",
                "x-cylestio-session-id", "s2", "x-cylestio-agent-id", "a2", "x-cylestio-conversation-id", "c1",
                "x-cylestio-prompt-id", "p1", "x-cylestio-tags", "team:search");
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions",
                "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", identityHeaders);
        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest seen = openaiUpstream.takeRequest();
        for (String name : identityHeaders.keySet()) {
            assertThat(seen.headers().contains(name)).as(name).isFalse();
        }
        CallIdentity identity = identities.poll(5, TimeUnit.SECONDS);
        assertThat(identity.externalSessionId()).isEqualTo("s1");
        assertThat(identity.agentId()).isEqualTo("a1");
        assertThat(identity.tags()).containsExactly(Map.entry("session", "s2"), Map.entry("team", "search"), Map.entry("k", "v"));
    }

    @Test
    void theAgentWorkflowPrefixIsRemovedAndKept() throws Exception {
        HttpResponse<String> openAiCall = postJson(gateway.baseUrl() + "/agent-workflow/wf1/v1/chat/completions",
                "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
        assertThat(openAiCall.statusCode()).isEqualTo(200);
        assertThat(openaiUpstream.takeRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(identities.poll(5, TimeUnit.SECONDS).workflowId()).isEqualTo("wf1");
        assertThat(openAiCall.headers().firstValue(SESSION)).isPresent();

        Message viaWorkflow = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/agent-workflow/wf2/anthropic")
                .apiKey("client-placeholder").maxRetries(0).build()
                .messages().create(MessageCreateParams.builder().model("demo-claude").maxTokens(50).addUserMessage("hi").build());
        assertThat(viaWorkflow.content()).isNotEmpty();
        assertThat(anthropicUpstream.takeRequest().path()).isEqualTo("/v1/messages");
        assertThat(identities.poll(5, TimeUnit.SECONDS).workflowId()).isEqualTo("wf2");
    }

    @Test
    void aGatewayMadeErrorStillCarriesTheSessionHeaders() throws Exception {
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/down/v1/chat/completions",
                "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of("x-gatehouse-session-id", "doomed", "x-cylestio-prompt-id", "agent-x"));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue(SESSION)).contains("doomed");
        assertThat(response.headers().firstValue(AGENT)).contains("agent-x");
    }

    @Test
    void callsWithoutAConversationGetNoSession() throws Exception {
        HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                .header("authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.headers().firstValue(SESSION)).isEmpty();
        assertThat(models.headers().firstValue(AGENT)).isEmpty();
    }

    @Test
    void previousResponseIdContinuesTheSessionPlainAndStreamed() {
        var first = openai.responses().withRawResponse().create(ResponseCreateParams.builder()
                .model("demo-gpt").instructions(SYSTEM).input("Find me a museum").build());
        String session = header(first, SESSION);
        Response firstResponse = first.parse();

        String streamedId;
        var streamed = openai.responses().withRawResponse().createStreaming(ResponseCreateParams.builder()
                .model("demo-gpt").input("Which one is closest?").previousResponseId(firstResponse.id()).build());
        assertThat(header(streamed, SESSION)).isEqualTo(session);
        try (StreamResponse<ResponseStreamEvent> events = streamed.parse()) {
            streamedId = events.stream().flatMap(event -> event.created().stream())
                    .map(created -> created.response().id()).findFirst().orElseThrow();
        }

        var third = openai.responses().withRawResponse().create(ResponseCreateParams.builder()
                .model("demo-gpt").input("Book tickets").previousResponseId(streamedId).build());
        assertThat(header(third, SESSION)).isEqualTo(session);

        var unrelated = openai.responses().withRawResponse().create(ResponseCreateParams.builder()
                .model("demo-gpt").instructions(SYSTEM).input("Find me a museum").build());
        assertThat(header(unrelated, SESSION)).isNotEqualTo(session);
    }

    @Test
    void metricsShowTheSessionCountersAsTextAndJson() throws Exception {
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("demo-gpt")
                .addUserMessage("count me");
        var first = chat(conversation.build());
        chat(conversation.addMessage(first.parse().choices().getFirst().message()).addUserMessage("again").build());

        String text = getUrl(gateway.baseUrl() + "/metrics").body();
        assertThat(text).contains("gatehouse_sessions_started_total 1.0", "gatehouse_session_cache_hits_total 1.0",
                "gatehouse_session_cache_misses_total 1.0", "gatehouse_active_sessions 1.0",
                "gatehouse_sessions_expired_total 0.0", "gatehouse_sessions_fragmented_total 0.0",
                "gatehouse_sessions_evicted_total 0.0", "gatehouse_session_fuzzy_matches_total 0.0");

        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics"))
                .header("accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.headers().firstValue("content-type")).contains("application/json");
        JsonNode body = Json.MAPPER.readTree(json.body());
        assertThat(body.path("service").asText()).isEqualTo("gatehouse");
        assertThat(body.path("timestamp").asText()).isNotBlank();
        JsonNode sessions = body.path("sessions");
        assertThat(sessions.path("sessions_created").asLong()).isEqualTo(1);
        assertThat(sessions.path("cache_hits").asLong()).isEqualTo(1);
        assertThat(sessions.path("cache_misses").asLong()).isEqualTo(1);
        assertThat(sessions.path("active_sessions").asInt()).isEqualTo(1);
        assertThat(sessions.path("max_sessions").asInt()).isEqualTo(10_000);
        assertThat(sessions.path("session_ttl_seconds").asLong()).isEqualTo(3600);
        for (String name : List.of("sessions_expired", "sessions_fragmented", "fuzzy_matches")) {
            assertThat(sessions.has(name)).as(name).isTrue();
        }
    }
}
