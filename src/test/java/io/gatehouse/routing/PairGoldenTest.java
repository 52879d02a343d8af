package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.SseEvent;
import io.gatehouse.pipeline.SseParser;
import io.gatehouse.provider.bedrock.EventStreams;
import io.gatehouse.provider.translate.EncodedRequest;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.Translator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The golden transcripts of every translated pair of client API and provider, under
 * {@code golden/translate/pairs/<inbound>-to-<outbound>/<case>/} (the README there describes the files). Each case is
 * replayed through a {@link Translator} built as {@link Codecs} builds the gateway's: the client's request must become
 * exactly the upstream request, and the upstream's answer, stream or error exactly what the client gets back.
 * Streams are fed whole and one byte at a time, since the network may split them anywhere.
 */
class PairGoldenTest {
    private static final String ROOT = "golden/translate/pairs";
    /** The answers' {@code created} times come from the clock; fixed, so the goldens can name them. */
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1755446400));
    private static final Map<String, InboundApi> CLIENT_APIS = Map.of(
            "openai-chat", InboundApi.OPENAI_CHAT,
            "anthropic", InboundApi.ANTHROPIC_MESSAGES,
            "responses", InboundApi.OPENAI_RESPONSES);
    /** Provider types by the name a pair folder gives them; chat goes to an OpenAI-compatible server (vLLM…). */
    private static final Map<String, String> PROVIDER_TYPES = Map.of(
            "anthropic", "anthropic",
            "gemini", "gemini",
            "bedrock", "bedrock",
            "openai-chat", "openai_compatible");
    /** Every pair the gateway translates between; each must have its folder. */
    private static final Set<String> PAIRS = Set.of(
            "openai-chat-to-anthropic", "openai-chat-to-gemini", "openai-chat-to-bedrock",
            "anthropic-to-openai-chat", "anthropic-to-gemini", "anthropic-to-bedrock",
            "responses-to-anthropic", "responses-to-gemini", "responses-to-openai-chat", "responses-to-bedrock");
    /** The files a case may hold; anything else is a misnamed fixture that would silently not be checked. */
    private static final Set<String> CASE_FILES = Set.of("client-request.json", "upstream-request.json",
            "upstream-response.json", "client-response.json", "upstream-stream.sse", "upstream-stream.frames.json",
            "client-stream.sse", "upstream-error.json", "client-error.json");

    @TestFactory
    Stream<DynamicNode> pairs() {
        Path root = resource(ROOT);
        DynamicTest everyPair = DynamicTest.dynamicTest("every pair has its folder", () -> assertThat(folders(root))
                .as("pair folders under %s", ROOT).containsExactlyInAnyOrderElementsOf(PAIRS));
        return Stream.concat(Stream.of(everyPair), folders(root).stream().map(pair -> DynamicContainer.dynamicContainer(
                pair, folders(root.resolve(pair)).stream().map(name -> new Case(pair, root.resolve(pair).resolve(name))
                        .tests()))));
    }

    private record Case(String pair, Path folder) {

        DynamicNode tests() {
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("files", this::hasCompleteFileSets));
            if (has("upstream-request.json")) {
                tests.add(DynamicTest.dynamicTest("request", this::requestIsTranslated));
            } else {
                tests.add(DynamicTest.dynamicTest("request refused", this::requestIsRefused));
            }
            if (has("upstream-response.json")) {
                tests.add(DynamicTest.dynamicTest("response", this::responseIsTranslated));
            }
            if (has("client-stream.sse")) {
                tests.add(DynamicTest.dynamicTest("stream", () -> streamIsTranslated(false)));
                tests.add(DynamicTest.dynamicTest("stream byte by byte", () -> streamIsTranslated(true)));
            }
            if (has("upstream-error.json")) {
                tests.add(DynamicTest.dynamicTest("error", this::errorIsTranslated));
            }
            return DynamicContainer.dynamicContainer(folder.getFileName().toString(), tests);
        }

        private void hasCompleteFileSets() {
            assertThat(files(folder)).as("files of %s", folder).isSubsetOf(CASE_FILES).contains("client-request.json");
            boolean upstreamStream = has("upstream-stream.sse") || has("upstream-stream.frames.json");
            assertThat(has("client-response.json")).as("client-response.json with upstream-response.json")
                    .isEqualTo(has("upstream-response.json"));
            assertThat(has("client-stream.sse")).as("client-stream.sse with an upstream stream")
                    .isEqualTo(upstreamStream);
            assertThat(has("client-error.json")).as("client-error.json with upstream-error.json, or for a refusal")
                    .isEqualTo(has("upstream-error.json") || !has("upstream-request.json"));
            if (!has("upstream-request.json")) {
                assertThat(has("upstream-response.json") || upstreamStream || has("upstream-error.json"))
                        .as("a refused request has no answer").isFalse();
            }
        }

        private void requestIsTranslated() {
            EncodedRequest upstream = translation().upstream();
            ObjectNode actual = Json.MAPPER.createObjectNode();
            actual.put("path", upstream.path());
            actual.put("query", upstream.query());
            actual.set("headers", Json.MAPPER.valueToTree(upstream.headers()));
            actual.set("body", upstream.body());
            assertJsonEquals(asSent(actual), json("upstream-request.json"));
        }

        /** A request the provider cannot take is refused with a 400 in the client's error shape, before any call. */
        private void requestIsRefused() {
            GatewayException refused = catchThrowableOfType(GatewayException.class, this::translation);
            assertThat(refused).as("the request must be refused").isNotNull();
            GatewayError error = refused.error();
            assertClientError(error.status(), translator().inbound().encodeError(error));
        }

        private void responseIsTranslated() {
            Buffer body = Buffer.buffer(Json.write(json("upstream-response.json")));
            Buffer answer = translator().response(translation(), body);
            assertJsonEquals(readTree(answer.toString(StandardCharsets.UTF_8)), json("client-response.json"));
        }

        private void streamIsTranslated(boolean byteByByte) {
            byte[] upstream = has("upstream-stream.frames.json")
                    ? EventStreams.body(json("upstream-stream.frames.json")) : bytes("upstream-stream.sse");
            Translator.StreamTranslation stream = translator().stream(translation(), MultiMap.caseInsensitiveMultiMap());
            Buffer client = Buffer.buffer();
            if (byteByByte) {
                for (byte b : upstream) {
                    client.appendBuffer(stream.chunk(Buffer.buffer(new byte[]{b})));
                }
            } else {
                client.appendBuffer(stream.chunk(Buffer.buffer(upstream)));
            }
            client.appendBuffer(stream.finish());
            assertSameEvents(client.getBytes(), bytes("client-stream.sse"));
        }

        /**
         * An upstream error reaches the client with the upstream's status, as {@link TranslatingSender} sends it, and
         * the provider's message in the client's error shape. A string body is sent as raw text (a proxy's page).
         */
        private void errorIsTranslated() {
            JsonNode upstream = json("upstream-error.json");
            int status = upstream.get("status").intValue();
            JsonNode body = upstream.get("body");
            // Headers of the error response, when the provider puts part of its error there (Bedrock).
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            upstream.path("headers").properties().forEach(header -> headers.add(header.getKey(),
                    header.getValue().asText()));
            GatewayError error = translator().error(status, headers,
                    body.isTextual() ? Buffer.buffer(body.textValue()) : Buffer.buffer(Json.write(body)));
            assertThat(error.status()).as("the error keeps the upstream's status").isEqualTo(status);
            assertClientError(status, translator().inbound().encodeError(error));
        }

        private void assertClientError(int status, Buffer body) {
            JsonNode expected = json("client-error.json");
            assertThat(status).as("status").isEqualTo(expected.get("status").intValue());
            assertJsonEquals(readTree(body.toString(StandardCharsets.UTF_8)), expected.get("body"));
        }

        /** The pair's translator, built from the codecs the gateway would use for a provider of that type. */
        private Translator translator() {
            int split = pair.indexOf("-to-");
            InboundApi api = CLIENT_APIS.get(pair.substring(0, split));
            String type = PROVIDER_TYPES.get(pair.substring(split + "-to-".length()));
            assertThat(Codecs.nativeApis(type)).as("%s is translated, not passed through", pair).doesNotContain(api);
            ProviderConfig provider = new ProviderConfig("upstream", type, "https://upstream.example", "key", null,
                    null, null, null);
            return new Translator(Codecs.inbound(CLOCK).get(api), Codecs.outbound(provider));
        }

        /** The request as {@link TranslatingSender} translates it, for the model the client's body names. */
        private Translator.Translation translation() {
            JsonNode request = json("client-request.json");
            return translator().request(request, request.path("model").asText(null));
        }

        private boolean has(String file) {
            return Files.exists(folder.resolve(file));
        }

        private JsonNode json(String file) {
            return readTree(new String(bytes(file), StandardCharsets.UTF_8));
        }

        private byte[] bytes(String file) {
            try {
                return Files.readAllBytes(folder.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Two SSE streams are the same when they hold the same events in order: same names, same data (JSON by value). */
    private static void assertSameEvents(byte[] actual, byte[] expected) {
        List<SseEvent> actualEvents = sseEvents(actual);
        List<SseEvent> expectedEvents = sseEvents(expected);
        String whole = new String(actual, StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(actualEvents.size(), expectedEvents.size()); i++) {
            SseEvent got = actualEvents.get(i);
            SseEvent want = expectedEvents.get(i);
            assertThat(got.event()).as("name of event %d in%n%s", i, whole).isEqualTo(want.event());
            if (isJson(want.data()) && isJson(got.data())) {
                assertJsonEquals(readTree(got.data()), readTree(want.data()), "data of event " + i + " in\n" + whole);
            } else {
                assertThat(got.data()).as("data of event %d in%n%s", i, whole).isEqualTo(want.data());
            }
        }
        assertThat(actualEvents).as("events in%n%s", whole).hasSameSizeAs(expectedEvents);
    }

    private static List<SseEvent> sseEvents(byte[] stream) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed(Buffer.buffer(stream));
        parser.finish();
        return events;
    }

    /** OpenAI's {@code [DONE]} is the one data that is not JSON. */
    private static boolean isJson(String data) {
        try {
            Json.MAPPER.readTree(data);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertJsonEquals(JsonNode actual, JsonNode expected) {
        assertJsonEquals(actual, expected, "JSON");
    }

    /** Equal as JSON, numbers by value (a long written by a codec, an int read from a file), showing both when not. */
    private static void assertJsonEquals(JsonNode actual, JsonNode expected, String what) {
        assertThat(actual.equals(SAME_NUMBER, expected))
                .as("%s: expected%n%s%nbut was%n%s", what, expected.toPrettyString(), actual.toPrettyString())
                .isTrue();
    }

    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** A body as its receiver reads it: written out and parsed back. */
    private static JsonNode asSent(JsonNode body) {
        return readTree(Json.writeString(body));
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    private static Path resource(String name) {
        URL url = PairGoldenTest.class.getClassLoader().getResource(name);
        assertThat(url).as("%s on the test class path", name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> folders(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).map(child -> child.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> files(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.map(child -> child.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
