package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API as a fake, for {@link FakeUpstream#start(io.vertx.core.Vertx, Handler)}:
 * {@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}, answered as
 * {@link FakeModel} decides, with Gemini's wire details: an {@code x-goog-api-key} checked as Google checks it, SSE
 * frames of whole GenerateContentResponses separated by CRLF blank lines with no terminator, function calls whole
 * in one frame, signed with a {@code thoughtSignature} that Gemini 3 wants back on the next turn (else a 400), and
 * Google's error JSON.
 */
public final class FakeGemini implements Handler<HttpServerRequest> {
    private static final Pattern METHOD_PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)");
    /** Google's documented value that turns signature validation off for one function call. */
    private static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private final String apiKey;
    private final Set<String> models;
    private final Set<String> issuedSignatures = ConcurrentHashMap.newKeySet();

    /** A Gemini that takes only {@code apiKey} and serves only these models. */
    public FakeGemini(String apiKey, Set<String> models) {
        this.apiKey = apiKey;
        this.models = Set.copyOf(models);
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> answer(request, body));
    }

    private void answer(HttpServerRequest request, Buffer body) {
        Matcher path = METHOD_PATH.matcher(request.path());
        if (request.method() != HttpMethod.POST || !path.matches()) {
            fail(request, 404, "NOT_FOUND", "Method not found.");
            return;
        }
        String presented = request.getHeader("x-goog-api-key");
        if (presented == null) {
            fail(request, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without "
                    + "established identity). Please use API Key or other form of API consumer identity to call this API.");
            return;
        }
        if (!presented.equals(apiKey)) {
            failBadKey(request);
            return;
        }
        String model = path.group(1);
        boolean stream = path.group(2).equals("streamGenerateContent");
        if (!models.contains(model)) {
            fail(request, 404, "NOT_FOUND", "models/" + model + " is not found for API version v1beta, or is not "
                    + "supported for " + path.group(2) + ". Call ListModels to see the list of available models and "
                    + "their supported methods.");
            return;
        }
        JsonNode generateContent;
        try {
            generateContent = Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            fail(request, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. " + e.getMessage());
            return;
        }
        String unsigned = unsignedFunctionCall(generateContent.path("contents"));
        if (unsigned != null) {
            fail(request, 400, "INVALID_ARGUMENT", "Function call is missing a thought_signature in functionCall "
                    + "parts. This is required for tools to work correctly, and missing thought_signature may lead "
                    + "to degraded model performance. Additional data, function call `default_api:" + unsigned
                    + "`. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
            return;
        }
        Reply reply = reply(generateContent);
        int promptTokens = promptTokens(generateContent);
        String responseId = FakeModel.randomId("").substring(0, 20);
        if (!stream) {
            send(request.response(), "application/json; charset=UTF-8",
                    Json.write(response(reply.parts(), true, usage(promptTokens, reply.tokens()), model, responseId)));
        } else if ("sse".equals(request.getParam("alt"))) {
            streamSse(request.response(), reply, promptTokens, model, responseId);
        } else {
            // Without alt=sse Gemini streams one JSON array, read whole by the REST clients.
            ArrayNode array = Json.MAPPER.createArrayNode();
            streamedResponses(reply, promptTokens, model, responseId).forEach(array::add);
            send(request.response(), "application/json; charset=UTF-8", Json.write(array));
        }
    }

    /** What the model says: a function call, or text. */
    private record Reply(List<ObjectNode> parts, int tokens) {
    }

    private Reply reply(JsonNode generateContent) {
        JsonNode contents = generateContent.path("contents");
        JsonNode lastTurn = contents.isEmpty() ? Json.MAPPER.createObjectNode() : contents.get(contents.size() - 1);
        JsonNode lastResult = null;
        List<String> texts = new ArrayList<>();
        for (JsonNode part : lastTurn.path("parts")) {
            if (part.has("functionResponse")) {
                lastResult = part.get("functionResponse").path("response");
            } else if (part.has("text")) {
                texts.add(part.get("text").asText());
            }
        }
        if (lastResult != null) {
            JsonNode result = lastResult.get("result");
            return text(FakeModel.echo(result != null && result.isTextual() ? result.asText() : Json.writeString(lastResult)));
        }
        String userText = String.join(" ", texts);
        JsonNode declaration = generateContent.path("tools").path(0).path("functionDeclarations").path(0);
        if (declaration.isMissingNode() || generateContent.path("toolConfig").path("functionCallingConfig")
                .path("mode").asText().equals("NONE")) {
            return text(FakeModel.echo(userText));
        }
        JsonNode schema = declaration.has("parametersJsonSchema") ? declaration.get("parametersJsonSchema")
                : declaration.path("parameters");
        ObjectNode arguments = FakeModel.argumentsFor(schema, userText);
        String signature = "CiQB" + FakeModel.randomId("");
        issuedSignatures.add(signature);
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.putObject("functionCall").put("name", declaration.path("name").asText()).set("args", arguments);
        call.put("thoughtSignature", signature);
        return new Reply(List.of(call), FakeModel.tokens(Json.writeString(arguments)));
    }

    private static Reply text(String text) {
        return new Reply(List.of(Json.MAPPER.createObjectNode().put("text", text)), FakeModel.tokens(text));
    }

    /** The name of a model turn's first function call when it lacks a signature this Gemini gave, else null. */
    private String unsignedFunctionCall(JsonNode contents) {
        for (JsonNode content : contents) {
            if (!"model".equals(content.path("role").asText())) {
                continue;
            }
            for (JsonNode part : content.path("parts")) {
                if (part.has("functionCall")) {
                    String signature = part.path("thoughtSignature").asText(null);
                    boolean valid = SKIP_SIGNATURE.equals(signature) || issuedSignatures.contains(signature);
                    if (!valid) {
                        return part.path("functionCall").path("name").asText();
                    }
                    break;
                }
            }
        }
        return null;
    }

    /** Every text of the request, the system instruction and tool results included, counted in words. */
    private static int promptTokens(JsonNode generateContent) {
        int tokens = 0;
        for (JsonNode part : generateContent.path("systemInstruction").path("parts")) {
            tokens += FakeModel.tokens(part.path("text").asText());
        }
        for (JsonNode content : generateContent.path("contents")) {
            for (JsonNode part : content.path("parts")) {
                tokens += FakeModel.tokens(part.path("text").asText());
                if (part.has("functionResponse")) {
                    tokens += FakeModel.tokens(Json.writeString(part.get("functionResponse").path("response")));
                }
            }
        }
        return tokens;
    }

    /**
     * The stream's frames: text word by word, each frame with the usage so far (Gemini repeats the prompt's count on
     * every frame); the last frame holds the finishReason and the full usage. A function call comes whole.
     */
    private static List<ObjectNode> streamedResponses(Reply reply, int promptTokens, String model, String responseId) {
        List<ObjectNode> frames = new ArrayList<>();
        ObjectNode only = reply.parts().getFirst();
        List<ObjectNode> pieces = new ArrayList<>();
        if (only.has("text")) {
            FakeModel.words(only.get("text").asText()).forEach(word -> pieces.add(Json.MAPPER.createObjectNode().put("text", word)));
        } else {
            pieces.add(only);
        }
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            ObjectNode usage = last ? usage(promptTokens, reply.tokens()) : usage(promptTokens, 0);
            frames.add(response(List.of(pieces.get(i)), last, usage, model, responseId));
        }
        return frames;
    }

    private static void streamSse(HttpServerResponse response, Reply reply, int promptTokens, String model,
                                  String responseId) {
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("x-content-type-options", "nosniff");
        for (ObjectNode frame : streamedResponses(reply, promptTokens, model, responseId)) {
            response.write("data: " + Json.writeString(frame) + "\r\n\r\n");
        }
        response.end();
    }

    private static ObjectNode response(List<ObjectNode> parts, boolean finished, ObjectNode usage, String model,
                                       String responseId) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").addAll(parts);
        content.put("role", "model");
        if (finished) {
            candidate.put("finishReason", "STOP");
        }
        candidate.put("index", 0);
        response.set("usageMetadata", usage);
        return response.put("modelVersion", model).put("responseId", responseId);
    }

    /** Gemini's usageMetadata; before the last frame it counts only the prompt. */
    private static ObjectNode usage(int promptTokens, int candidatesTokens) {
        ObjectNode usage = Json.MAPPER.createObjectNode().put("promptTokenCount", promptTokens);
        if (candidatesTokens > 0) {
            usage.put("candidatesTokenCount", candidatesTokens);
        }
        usage.put("totalTokenCount", promptTokens + candidatesTokens);
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", promptTokens);
        return usage;
    }

    private static void failBadKey(HttpServerRequest request) {
        ObjectNode body = errorBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        ObjectNode info = ((ObjectNode) body.get("error")).putArray("details").addObject();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", "API_KEY_INVALID")
                .put("domain", "googleapis.com").putObject("metadata").put("service", "generativelanguage.googleapis.com");
        request.response().setStatusCode(400);
        send(request.response(), "application/json; charset=UTF-8", Json.write(body));
    }

    private static void fail(HttpServerRequest request, int status, String googleStatus, String message) {
        request.response().setStatusCode(status);
        send(request.response(), "application/json; charset=UTF-8", Json.write(errorBody(status, googleStatus, message)));
    }

    private static ObjectNode errorBody(int status, String googleStatus, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("error").put("code", status).put("message", message).put("status", googleStatus);
        return body;
    }

    private static void send(HttpServerResponse response, String contentType, byte[] body) {
        response.putHeader("content-type", contentType).end(Buffer.buffer(body));
    }
}
