package io.gatehouse.routing;

import io.gatehouse.config.ProviderConfig;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.testing.FakeBedrock;
import io.gatehouse.testing.FakeGemini;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fakes of the four provider APIs, each taking only the key the gateway holds for it, and the gateway config that
 * names them {@code openai}, {@code anthropic}, {@code gemini} and {@code bedrock}. Clients use {@link #CLIENT_KEY},
 * which no provider knows: a call that works went out with the gateway's key.
 */
final class FakeProviders implements AutoCloseable {
    static final String CLIENT_KEY = "sk-client-0123456789-never-forwarded";
    static final String OPENAI_KEY = "sk-openai-gateway-0123456789";
    static final String ANTHROPIC_KEY = "sk-ant-gateway-0123456789";
    static final String GEMINI_KEY = "AIzaSy-gemini-gateway-0123456789";
    /** An access key, so every Bedrock call is SigV4-signed and checked by the fake. */
    static final String BEDROCK_ACCESS_KEY = "AKIAGATEWAY012345678:gateway/secret+Key0123456789abcdefghijk";
    static final String BEDROCK_ACCESS_KEY_ID = "AKIAGATEWAY012345678";
    /** The fake runs on 127.0.0.1, which names no region: the configured one must reach the signer. */
    static final String BEDROCK_REGION = "eu-central-1";
    static final String GEMINI_MODEL = "gemini-3-flash-preview";
    /** Bedrock's model ids carry a ':', which the gateway must encode into the path and sign encoded twice. */
    static final String BEDROCK_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

    final FakeUpstream openai;
    final FakeUpstream anthropic;
    final FakeUpstream gemini;
    final FakeUpstream bedrock;

    private FakeProviders(Vertx vertx) {
        openai = FakeUpstream.start(vertx, new DemoUpstream.Options(0, OPENAI_KEY));
        anthropic = FakeUpstream.start(vertx, new DemoUpstream.Options(0, ANTHROPIC_KEY));
        gemini = FakeUpstream.start(vertx, new FakeGemini(GEMINI_KEY, Set.of(GEMINI_MODEL)));
        bedrock = FakeUpstream.start(vertx, new FakeBedrock(BEDROCK_REGION, BEDROCK_ACCESS_KEY, Set.of(BEDROCK_MODEL)));
    }

    static FakeProviders start(Vertx vertx) {
        return new FakeProviders(vertx);
    }

    /** A gateway whose default provider is OpenAI, with the four providers and their keys. */
    TestGateway gateway() {
        return TestGateway.builder()
                .provider("openai", "openai", openai.baseUrl(), OPENAI_KEY)
                .provider("anthropic", "anthropic", anthropic.baseUrl(), ANTHROPIC_KEY)
                .provider("gemini", "gemini", gemini.baseUrl(), GEMINI_KEY)
                .provider(new ProviderConfig("bedrock", "bedrock", bedrock.baseUrl(), BEDROCK_ACCESS_KEY, null, null,
                        null, null).withTranslation(null, BEDROCK_REGION, List.of()));
    }

    /** The {@code provider:model} id that asks the named provider for its model. */
    static String modelOf(String provider) {
        return provider + ":" + switch (provider) {
            case "openai" -> "demo-gpt";
            case "anthropic" -> "demo-claude";
            case "gemini" -> GEMINI_MODEL;
            case "bedrock" -> BEDROCK_MODEL;
            default -> throw new IllegalArgumentException(provider);
        };
    }

    /**
     * The model an answer names: the provider's name for it (what the provider reports, or for Bedrock, which reports
     * none, what the call asked the provider for), without the {@code provider:} prefix only the gateway reads.
     */
    static String providersModel(String provider) {
        return modelOf(provider).substring(provider.length() + 1);
    }

    FakeUpstream fake(String provider) {
        return Map.of("openai", openai, "anthropic", anthropic, "gemini", gemini, "bedrock", bedrock).get(provider);
    }

    /** Forgets the requests not taken yet, so a test sees only its own. */
    void forgetRequests() {
        for (FakeUpstream fake : List.of(openai, anthropic, gemini, bedrock)) {
            while (fake.takeRequest(Duration.ZERO) != null) {
                // Dropped.
            }
        }
    }

    /**
     * Asserts that a request reached the named provider in its own API, for its model, with the gateway's credential
     * where that API carries it, and with the client's key nowhere.
     */
    static void assertSentInTheApiOf(String provider, FakeUpstream.RecordedRequest request) {
        assertThat(request).as("a request reached %s", provider).isNotNull();
        switch (provider) {
            case "openai" -> {
                assertThat(request.path()).isEqualTo("/v1/chat/completions");
                assertThat(request.bodyAsJson().getString("model")).isEqualTo("demo-gpt");
                assertThat(request.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
            }
            case "anthropic" -> {
                assertThat(request.path()).isEqualTo("/v1/messages");
                assertThat(request.bodyAsJson().getString("model")).isEqualTo("demo-claude");
                assertThat(request.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
                assertThat(request.header("authorization")).isNull();
            }
            case "gemini" -> {
                assertThat(request.path()).startsWith("/v1beta/models/" + GEMINI_MODEL + ":");
                assertThat(request.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
                assertThat(request.header("authorization")).isNull();
            }
            case "bedrock" -> {
                assertThat(request.path()).startsWith("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
                assertThat(request.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential="
                        + BEDROCK_ACCESS_KEY_ID + "/").contains("/" + BEDROCK_REGION + "/bedrock/aws4_request");
                assertThat(request.header("x-api-key")).isNull();
            }
            default -> throw new IllegalArgumentException(provider);
        }
        request.headers().forEach((name, value) -> assertThat(value).as("header %s", name).doesNotContain(CLIENT_KEY));
    }

    @Override
    public void close() {
        openai.close();
        anthropic.close();
        gemini.close();
        bedrock.close();
    }
}
