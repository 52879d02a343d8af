package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.provider.bedrock.AwsCredentials;
import io.gatehouse.provider.bedrock.SigV4Signer;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS Bedrock runtime's Converse API as a fake, for {@link FakeUpstream#start(io.vertx.core.Vertx, Handler)}:
 * {@code POST /model/{modelId}/converse} and {@code /converse-stream}, answered as {@link FakeModel} decides. Like
 * AWS it checks each request's SigV4 signature, by signing the request it received again with the one access key it
 * knows and comparing: a signature over other bytes, another host or region, or a stale date gets Bedrock's 403.
 * Streams are {@code application/vnd.amazon.eventstream} binary frames, as ConverseStream sends them; errors are
 * {@code {"message"}} with the type in {@code x-amzn-ErrorType}; a tool result without its tool use, or without the
 * {@code toolConfig} Bedrock demands alongside them, is a {@code ValidationException}.
 */
public final class FakeBedrock implements Handler<HttpServerRequest> {
    private static final Pattern CONVERSE_PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/bedrock/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** How far a request's signing time may be from AWS's clock. */
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final String region;
    private final AwsCredentials credentials;
    private final Set<String> models;

    /**
     * A Bedrock in {@code region} that accepts only requests signed with {@code accessKey}
     * ({@code ACCESS_KEY_ID:SECRET_ACCESS_KEY}, as a provider's {@code api_key} holds it) and serves these model ids.
     */
    public FakeBedrock(String region, String accessKey, Set<String> models) {
        this.region = region;
        String[] parts = accessKey.split(":", 2);
        this.credentials = new AwsCredentials(parts[0], parts[1], null);
        this.models = Set.copyOf(models);
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> answer(request, body));
    }

    private void answer(HttpServerRequest request, Buffer body) {
        if (!authenticated(request, body)) {
            return;
        }
        Matcher path = CONVERSE_PATH.matcher(request.path());
        if (request.method() != HttpMethod.POST || !path.matches()) {
            fail(request, 404, "UnknownOperationException", null);
            return;
        }
        String model = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        if (!models.contains(model)) {
            fail(request, 400, "ValidationException", "The provided model identifier is invalid.");
            return;
        }
        JsonNode converse;
        try {
            converse = Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            fail(request, 400, "SerializationException", null);
            return;
        }
        String invalid = invalidToolUse(converse);
        if (invalid != null) {
            fail(request, 400, "ValidationException", invalid);
            return;
        }
        Reply reply = reply(converse);
        int inputTokens = inputTokens(converse);
        HttpServerResponse response = request.response().putHeader("x-amzn-RequestId", FakeModel.randomId("req-"));
        if (path.group(2).equals("converse")) {
            response.putHeader("content-type", "application/json").end(Buffer.buffer(Json.write(converseResponse(reply, inputTokens))));
        } else {
            response.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
            streamFrames(reply, inputTokens).forEach(frame -> response.write(Buffer.buffer(frame)));
            response.end();
        }
    }

    /**
     * Checks the SigV4 signature as AWS does, answering Bedrock's 403 when it fails. The request is signed again over
     * exactly what arrived: its method, the Host it was sent to, its raw path, the headers its signature names, and
     * its body.
     */
    private boolean authenticated(HttpServerRequest request, Buffer body) {
        String authorization = request.getHeader("authorization");
        String amzDate = request.getHeader("x-amz-date");
        if (authorization == null || amzDate == null) {
            return refuse(request, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Matcher parsed = AUTHORIZATION.matcher(authorization);
        if (!parsed.matches()) {
            return refuse(request, "IncompleteSignatureException", "Authorization header requires 'Credential', "
                    + "'Signature' and 'SignedHeaders' parameters. Authorization=" + authorization);
        }
        if (!parsed.group(1).equals(credentials.accessKeyId())) {
            return refuse(request, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!parsed.group(3).equals(region)) {
            return refuse(request, "InvalidSignatureException", "Credential should be scoped to a valid region. ");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return refuse(request, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'.");
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
            return refuse(request, "InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier "
                    + "or later than 5 min of the current time.");
        }
        Map<String, List<String>> signedHeaders = new LinkedHashMap<>();
        for (String name : parsed.group(4).split(";")) {
            if (!name.equals("host")) {
                signedHeaders.put(name, request.headers().getAll(name));
            }
        }
        String url = "http://" + request.getHeader("host") + request.uri();
        String expected = SigV4Signer.sign(request.method().name(), url, signedHeaders, body.getBytes(), credentials,
                region, "bedrock", signedAt).get(SigV4Signer.AUTHORIZATION);
        if (!authorization.equals(expected)) {
            return refuse(request, "InvalidSignatureException", "The request signature we calculated does not match "
                    + "the signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
                    + "service documentation for details.");
        }
        return true;
    }

    /** Answers Bedrock's 403; false, for {@link #authenticated} to return. */
    private static boolean refuse(HttpServerRequest request, String errorType, String message) {
        fail(request, 403, errorType, message);
        return false;
    }

    /** Bedrock's demands on tool blocks: tools declared, and every result answering a use of the turn before. */
    private static String invalidToolUse(JsonNode converse) {
        JsonNode messages = converse.path("messages");
        boolean hasTools = converse.path("toolConfig").path("tools").size() > 0;
        Set<String> openUses = new HashSet<>();
        for (int m = 0; m < messages.size(); m++) {
            Set<String> uses = new HashSet<>();
            for (JsonNode block : messages.get(m).path("content")) {
                if (!hasTools && (block.has("toolUse") || block.has("toolResult"))) {
                    return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
                }
                if (block.has("toolUse")) {
                    uses.add(block.get("toolUse").path("toolUseId").asText());
                }
                if (block.has("toolResult") && !openUses.contains(block.get("toolResult").path("toolUseId").asText())) {
                    return "The toolResult blocks at messages." + m + ".content contain toolUseIds that are not in "
                            + "the toolUse blocks of the previous turn.";
                }
            }
            openUses = uses;
        }
        return null;
    }

    /** What the model says: text, or one tool use. */
    private record Reply(String text, String toolName, ObjectNode toolInput, int tokens) {
        boolean usesTool() {
            return toolName != null;
        }
    }

    private static Reply reply(JsonNode converse) {
        JsonNode messages = converse.path("messages");
        JsonNode lastTurn = messages.isEmpty() ? Json.MAPPER.createArrayNode() : messages.get(messages.size() - 1).path("content");
        JsonNode lastResult = null;
        List<String> texts = new ArrayList<>();
        for (JsonNode block : lastTurn) {
            if (block.has("toolResult")) {
                lastResult = block.get("toolResult");
            } else if (block.has("text")) {
                texts.add(block.get("text").asText());
            }
        }
        if (lastResult != null) {
            return text(FakeModel.echo(resultText(lastResult)));
        }
        String userText = String.join(" ", texts);
        JsonNode tool = converse.path("toolConfig").path("tools").path(0).path("toolSpec");
        if (tool.isMissingNode()) {
            return text(FakeModel.echo(userText));
        }
        ObjectNode input = FakeModel.argumentsFor(tool.path("inputSchema").path("json"), userText);
        return new Reply(null, tool.path("name").asText(), input, FakeModel.tokens(Json.writeString(input)));
    }

    private static Reply text(String text) {
        return new Reply(text, null, null, FakeModel.tokens(text));
    }

    private static String resultText(JsonNode toolResult) {
        List<String> texts = new ArrayList<>();
        for (JsonNode content : toolResult.path("content")) {
            texts.add(content.has("text") ? content.get("text").asText() : Json.writeString(content.path("json")));
        }
        return String.join(" ", texts);
    }

    /** Every text of the request, system prompts and tool results included, counted in words. */
    private static int inputTokens(JsonNode converse) {
        int tokens = 0;
        for (JsonNode system : converse.path("system")) {
            tokens += FakeModel.tokens(system.path("text").asText());
        }
        for (JsonNode message : converse.path("messages")) {
            for (JsonNode block : message.path("content")) {
                tokens += FakeModel.tokens(block.path("text").asText());
                if (block.has("toolResult")) {
                    tokens += FakeModel.tokens(resultText(block.get("toolResult")));
                }
            }
        }
        return tokens;
    }

    private static ObjectNode converseResponse(Reply reply, int inputTokens) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        ObjectNode message = response.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (reply.usesTool()) {
            ObjectNode toolUse = content.addObject().putObject("toolUse");
            toolUse.put("toolUseId", FakeModel.randomId("tooluse_")).put("name", reply.toolName()).set("input", reply.toolInput());
        } else {
            content.addObject().put("text", reply.text());
        }
        response.put("stopReason", reply.usesTool() ? "tool_use" : "end_turn");
        response.set("usage", usage(inputTokens, reply.tokens()));
        response.putObject("metrics").put("latencyMs", 42);
        return response;
    }

    /**
     * ConverseStream's frames: messageStart, the content block (text word by word, or a tool use's start then its
     * input in pieces), contentBlockStop, messageStop with the stop reason, and metadata with the usage. Each event
     * carries AWS's {@code p} padding, which hides the lengths of what it says.
     */
    private static List<byte[]> streamFrames(Reply reply, int inputTokens) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(event("messageStart", Json.MAPPER.createObjectNode().put("role", "assistant")));
        if (reply.usesTool()) {
            ObjectNode start = Json.MAPPER.createObjectNode().put("contentBlockIndex", 0);
            start.putObject("start").putObject("toolUse").put("toolUseId", FakeModel.randomId("tooluse_"))
                    .put("name", reply.toolName());
            frames.add(event("contentBlockStart", start));
            for (String piece : FakeModel.pieces(Json.writeString(reply.toolInput()), 8)) {
                ObjectNode delta = Json.MAPPER.createObjectNode().put("contentBlockIndex", 0);
                delta.putObject("delta").putObject("toolUse").put("input", piece);
                frames.add(event("contentBlockDelta", delta));
            }
        } else {
            for (String word : FakeModel.words(reply.text())) {
                ObjectNode delta = Json.MAPPER.createObjectNode().put("contentBlockIndex", 0);
                delta.putObject("delta").put("text", word);
                frames.add(event("contentBlockDelta", delta));
            }
        }
        frames.add(event("contentBlockStop", Json.MAPPER.createObjectNode().put("contentBlockIndex", 0)));
        frames.add(event("messageStop", Json.MAPPER.createObjectNode()
                .put("stopReason", reply.usesTool() ? "tool_use" : "end_turn")));
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        metadata.set("usage", usage(inputTokens, reply.tokens()));
        metadata.putObject("metrics").put("latencyMs", 42);
        frames.add(event("metadata", metadata));
        return frames;
    }

    private static byte[] event(String type, ObjectNode payload) {
        payload.put("p", "abcdefghijklmnopqrstuvwxyz".substring(0, 1 + Math.abs(type.hashCode()) % 26));
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return new Message(headers, Json.write(payload)).toByteBuffer().array();
    }

    private static ObjectNode usage(int inputTokens, int outputTokens) {
        return Json.MAPPER.createObjectNode().put("inputTokens", inputTokens).put("outputTokens", outputTokens)
                .put("totalTokens", inputTokens + outputTokens);
    }

    /** Bedrock's error: {@code {"message"}} (or none, for some), the type in {@code x-amzn-ErrorType}. */
    private static void fail(HttpServerRequest request, int status, String errorType, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (message != null) {
            body.put("message", message);
        }
        request.response().setStatusCode(status).putHeader("x-amzn-ErrorType", errorType)
                .putHeader("x-amzn-RequestId", FakeModel.randomId("req-")).putHeader("content-type", "application/json")
                .end(Buffer.buffer(Json.write(body)));
    }
}
