package io.gatehouse.provider.demo;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "what is the weather in Paris";

    private static Vertx vertx;
    private static String base;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startDemo() throws Exception {
        vertx = Vertx.vertx();
        base = listen(DemoUpstream.Options.defaults());
        openAi = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("k").build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(base).apiKey("k").build();
    }

    @AfterAll
    static void stopDemo() throws Exception {
        openAi.close();
        anthropic.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String listen(DemoUpstream.Options options) throws Exception {
        HttpServer server = DemoUpstream.start(vertx, "127.0.0.1", 0, options)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort();
    }

    // ---- OpenAI Chat Completions ----

    @Test
    void chatEchoesTheLastUserMessage() {
        ChatCompletion completion = openAi.chat().completions().create(chat(QUESTION).build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("demo-gpt");
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Echo: " + QUESTION);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(6);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(13);
    }

    @Test
    void streamedChatAddsUpToThePlainAnswer() {
        ChatCompletionCreateParams params = chat(QUESTION)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk)));
        }

        ChatCompletion streamed = accumulator.chatCompletion();
        String plain = openAi.chat().completions().create(chat(QUESTION).build())
                .choices().getFirst().message().content().orElseThrow();
        assertThat(streamed.choices().getFirst().message().content()).contains(plain);
        assertThat(chunks).hasSizeGreaterThan(7);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(7);
    }

    @Test
    void chatCallsTheOfferedTool() throws Exception {
        ChatCompletion completion = openAi.chat().completions()
                .create(chat(QUESTION).addTool(weatherFunction()).build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode arguments = JSON.readTree(call.function().arguments());
        assertThat(arguments.path("city").asText()).isEqualTo(QUESTION);
        assertThat(arguments.path("days").asInt()).isEqualTo(1);
    }

    @Test
    void streamedChatCallsBothToolsInPieces() throws Exception {
        ChatCompletionCreateParams params = chat("check both the weather and the time")
                .addTool(weatherFunction())
                .addTool(function("get_time", Map.of("zone", "string")))
                .build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk)));
        }

        List<ChatCompletionMessageToolCall> calls =
                accumulator.chatCompletion().choices().getFirst().message().toolCalls().orElseThrow();
        assertThat(calls).extracting(call -> call.asFunction().function().name())
                .containsExactly("get_weather", "get_time");
        for (ChatCompletionMessageToolCall call : calls) {
            assertThat(JSON.readTree(call.asFunction().function().arguments()).isObject()).isTrue();
        }
        long argumentDeltas = chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
                .filter(call -> call.id().isEmpty())
                .count();
        assertThat(argumentDeltas).isGreaterThanOrEqualTo(6);
    }

    @Test
    void chatEchoesAToolResult() {
        ChatCompletion toolTurn = openAi.chat().completions()
                .create(chat(QUESTION).addTool(weatherFunction()).build());
        String callId = toolTurn.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction().id();

        ChatCompletion answer = openAi.chat().completions().create(chat(QUESTION)
                .addTool(weatherFunction())
                .addMessage(toolTurn.choices().getFirst().message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content("sunny, 22C").build())
                .build());

        assertThat(answer.choices().getFirst().message().content()).contains("Echo: sunny, 22C");
    }

    // ---- OpenAI Embeddings, Models, Responses ----

    @Test
    void embeddingsAreDeterministicPerInput() {
        CreateEmbeddingResponse floats = openAi.embeddings().create(EmbeddingCreateParams.builder()
                .model("demo-embedding")
                .inputOfArrayOfStrings(List.of("alpha", "beta gamma", "alpha"))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build());
        CreateEmbeddingResponse sdkDefault = openAi.embeddings().create(EmbeddingCreateParams.builder()
                .model("demo-embedding").input("alpha").build());

        assertThat(floats.data()).hasSize(3);
        assertThat(floats.data()).extracting(item -> item.index()).containsExactly(0L, 1L, 2L);
        assertThat(floats.data().getFirst().embedding()).hasSize(8)
                .isEqualTo(floats.data().get(2).embedding())
                .isNotEqualTo(floats.data().get(1).embedding());
        assertThat(floats.usage().promptTokens()).isEqualTo(4);
        assertThat(sdkDefault.data().getFirst().embedding()).isEqualTo(floats.data().getFirst().embedding());
    }

    @Test
    void embeddingsCanBeBase64() throws Exception {
        JsonNode body = postJson("/v1/embeddings", "{\"model\":\"m\",\"input\":\"alpha\",\"encoding_format\":\"base64\"}")
                .json;
        assertThat(body.path("data").get(0).path("embedding").asText())
                .isEqualTo(DemoText.base64(DemoText.embedding("alpha")));
    }

    @Test
    void listsModelsInEitherShape() {
        assertThat(openAi.models().list().data()).extracting(model -> model.id()).contains("demo-gpt", "demo-claude");
        List<ModelInfo> models = anthropic.models().list().data();
        assertThat(models).extracting(ModelInfo::id).contains("demo-claude");
        assertThat(models.getFirst().displayName()).isNotBlank();
        assertThat(models.getFirst().createdAt()).isNotNull();
        assertThat(models.getFirst().lifecycle()).isEqualTo(ModelInfo.Lifecycle.ACTIVE);
    }

    @Test
    void responsesEchoTheInput() {
        Response response = openAi.responses().create(ResponseCreateParams.builder()
                .model("demo-gpt").input(QUESTION).build());

        assertThat(response.id()).startsWith("resp_");
        String text = response.output().getFirst().message().orElseThrow()
                .content().getFirst().outputText().orElseThrow().text();
        assertThat(text).isEqualTo("Echo: " + QUESTION);
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(6);
        assertThat(response.parallelToolCalls()).isTrue();
    }

    @Test
    void streamedResponsesAddUpToTheText() {
        StringBuilder text = new StringBuilder();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(
                ResponseCreateParams.builder().model("demo-gpt").input(QUESTION).build())) {
            stream.stream().forEach(event -> {
                events.add(event);
                event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
            });
        }

        assertThat(text).hasToString("Echo: " + QUESTION);
        assertThat(events.getLast().completed()).isPresent();
        assertThat(events.getLast().completed().orElseThrow().response().output()).hasSize(1);
    }

    // ---- Anthropic Messages ----

    @Test
    void messagesEchoTheLastUserMessage() {
        Message message = anthropic.messages().create(message(QUESTION).build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo("demo-claude");
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: " + QUESTION);
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(6);
        assertThat(message.usage().outputTokens()).isEqualTo(7);
    }

    @Test
    void streamedMessagesAddUpToThePlainAnswer() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (var stream = anthropic.messages().createStreaming(message(QUESTION).build())) {
            stream.stream().forEach(event -> events.add(accumulator.accumulate(event)));
        }

        Message streamed = accumulator.message();
        assertThat(streamed.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: " + QUESTION);
        assertThat(streamed.stopReason()).contains(StopReason.END_TURN);
        assertThat(streamed.usage().outputTokens()).isEqualTo(7);
        assertThat(events.getFirst().isMessageStart()).isTrue();
        assertThat(events.getLast().isMessageStop()).isTrue();
    }

    @Test
    void streamedToolUseAccumulatesToValidInput() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(message(QUESTION).addTool(weatherTool()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message streamed = accumulator.message();
        assertThat(streamed.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock toolUse = streamed.content().getFirst().toolUse().orElseThrow();
        assertThat(toolUse.id()).startsWith("toolu_");
        assertThat(toolUse.name()).isEqualTo("get_weather");
        JsonNode input = JSON.valueToTree(toolUse._input().convert(Map.class));
        assertThat(input.path("city").asText()).isEqualTo(QUESTION);
        assertThat(input.path("days").asInt()).isEqualTo(1);
    }

    @Test
    void messagesEchoAToolResult() {
        Message toolTurn = anthropic.messages().create(message(QUESTION).addTool(weatherTool()).build());
        ToolUseBlock toolUse = toolTurn.content().getFirst().toolUse().orElseThrow();

        Message answer = anthropic.messages().create(message(QUESTION)
                .addTool(weatherTool())
                .addMessage(toolTurn)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("sunny, 22C").build())))
                .build());

        assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("Echo: sunny, 22C");
    }

    @Test
    void countsTokens() {
        long tokens = anthropic.messages().countTokens(MessageCountTokensParams.builder()
                .model("demo-claude").addUserMessage(QUESTION).build()).inputTokens();
        assertThat(tokens).isEqualTo(6);
    }

    // ---- keys and errors ----

    @Test
    void requiredKeyIsEnforcedForBothProviders() throws Exception {
        String guarded = listen(new DemoUpstream.Options(0, "secret"));
        OpenAIClient wrongOpenAi = OpenAIOkHttpClient.builder().baseUrl(guarded + "/v1").apiKey("nope").build();
        OpenAIClient rightOpenAi = OpenAIOkHttpClient.builder().baseUrl(guarded + "/v1").apiKey("secret").build();
        AnthropicClient wrongAnthropic = AnthropicOkHttpClient.builder().baseUrl(guarded).apiKey("nope").build();
        try {
            assertThatThrownBy(() -> wrongOpenAi.chat().completions().create(chat(QUESTION).build()))
                    .isInstanceOf(com.openai.errors.UnauthorizedException.class);
            assertThatThrownBy(() -> wrongAnthropic.messages().create(message(QUESTION).build()))
                    .isInstanceOf(com.anthropic.errors.UnauthorizedException.class);
            assertThat(rightOpenAi.chat().completions().create(chat(QUESTION).build()).choices()).hasSize(1);
        } finally {
            wrongOpenAi.close();
            rightOpenAi.close();
            wrongAnthropic.close();
        }
        RawResponse openAiError = postJson(guarded, "/v1/chat/completions", "{}", Map.of());
        assertThat(openAiError.status).isEqualTo(401);
        assertThat(openAiError.json.path("error").path("code").asText()).isEqualTo("invalid_api_key");
        RawResponse anthropicError = postJson(guarded, "/v1/messages", "{}", Map.of("x-api-key", "nope"));
        assertThat(anthropicError.json.path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void badRequestsGetErrorsInTheProvidersShape() throws Exception {
        RawResponse malformed = postJson("/v1/chat/completions", "{not json");
        assertThat(malformed.status).isEqualTo(400);
        assertThat(malformed.json.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(malformed.json.path("error").has("param")).isTrue();

        RawResponse noMessages = postJson("/v1/messages", "{\"model\":\"demo-claude\"}");
        assertThat(noMessages.status).isEqualTo(400);
        assertThat(noMessages.json.path("type").asText()).isEqualTo("error");
        assertThat(noMessages.json.path("error").path("type").asText()).isEqualTo("invalid_request_error");

        RawResponse unknown = postJson("/v1/nothing-here", "{}");
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.json.path("error").path("message").asText()).contains("/v1/nothing-here");
    }

    @Test
    void anthropicEventsNameTheirDataType() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"demo-claude\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("request-id").orElseThrow()).startsWith("req_");
        String[] events = response.body().split("\n\n");
        assertThat(events).hasSizeGreaterThanOrEqualTo(7);
        assertThat(events[2]).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}");
        for (String event : events) {
            String[] lines = event.split("\n");
            assertThat(lines).hasSize(2);
            String name = lines[0].substring("event: ".length());
            assertThat(JSON.readTree(lines[1].substring("data: ".length())).path("type").asText()).isEqualTo(name);
        }
    }

    // ---- helpers ----

    private static ChatCompletionCreateParams.Builder chat(String userText) {
        return ChatCompletionCreateParams.builder().model("demo-gpt").addUserMessage(userText);
    }

    private static MessageCreateParams.Builder message(String userText) {
        return MessageCreateParams.builder().model("demo-claude").maxTokens(256).addUserMessage(userText);
    }

    private static ChatCompletionFunctionTool weatherFunction() {
        return function("get_weather", Map.of("city", "string", "days", "integer"));
    }

    private static ChatCompletionFunctionTool function(String name, Map<String, String> requiredTypes) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        requiredTypes.forEach((property, type) -> properties.put(property, Map.of("type", type)));
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name(name)
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(properties))
                                .putAdditionalProperty("required", JsonValue.from(List.copyOf(requiredTypes.keySet())))
                                .build())
                        .build())
                .build();
    }

    private static Tool weatherTool() {
        return Tool.builder()
                .name("get_weather")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                                .putAdditionalProperty("days", com.anthropic.core.JsonValue.from(Map.of("type", "integer")))
                                .build())
                        .required(List.of("city", "days"))
                        .build())
                .build();
    }

    private record RawResponse(int status, JsonNode json) {
    }

    private static RawResponse postJson(String path, String body) throws Exception {
        return postJson(base, path, body, Map.of());
    }

    private static RawResponse postJson(String server, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        return new RawResponse(response.statusCode(), JSON.readTree(response.body()));
    }
}
