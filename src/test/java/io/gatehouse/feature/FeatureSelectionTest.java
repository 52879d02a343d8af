package io.gatehouse.feature;

import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.provider.WireFormats;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The feature a call gets when the authenticated key names one: the key's metadata beats anything the client sends.
 * (The gateway tests cover header, body and default; a key needs the tenancy database, so this drives the
 * interceptor directly with the principal auth would have left.)
 */
class FeatureSelectionTest {
    private static final Upstream OPENAI = Upstream.of("openai", WireFormats.of("openai"), URI.create("http://127.0.0.1:1"),
            Secret.ofNullable("sk-configured"), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, false, null);

    private final FeatureInterceptor interceptor;

    FeatureSelectionTest() {
        Map<String, FeatureSettings> features = new LinkedHashMap<>();
        for (String name : new String[]{"from-key", "from-header", "from-body", "default"}) {
            features.put(name, new FeatureSettings("openai:model-of-" + name, null, null, null, null, null));
        }
        interceptor = new FeatureInterceptor(FeatureCatalog.of(new FeaturesConfig(null, features)), Map.of("openai", OPENAI));
    }

    /** The model the interceptor forwarded, which tells which feature it selected. */
    private String forwardedModel(CallPrincipal principal, String header, String bodyFeature) throws Exception {
        ProxyRequest.Builder request = ProxyRequest.builder().path("/v1/chat/completions").upstream(OPENAI)
                .parsedJson(Json.MAPPER.readTree(bodyFeature == null ? "{\"model\":\"client\"}"
                        : "{\"model\":\"client\",\"metadata\":{\"feature\":\"" + bodyFeature + "\"}}"));
        if (header != null) {
            request.header(FeatureInterceptor.FEATURE_HEADER, header);
        }
        Call call = new Call("c1", 0);
        if (principal != null) {
            call.attribute(CallPrincipal.ATTRIBUTE, principal);
        }
        ProxyRequest initial = request.build();
        AtomicReference<ProxyRequest> forwarded = new AtomicReference<>();
        Future<ProxyResponse> result = interceptor.intercept(new Chain() {
            @Override
            public ProxyRequest request() {
                return initial;
            }

            @Override
            public Call call() {
                return call;
            }

            @Override
            public Future<ProxyResponse> proceed(ProxyRequest next) {
                forwarded.set(next);
                return Future.succeededFuture();
            }
        });
        if (result.failed()) {
            throw (GatewayException) result.cause();
        }
        assertThat(forwarded.get().headers().get(FeatureInterceptor.FEATURE_HEADER))
                .isEqualTo(forwarded.get().json().path("model").asText().substring("model-of-".length()));
        return forwarded.get().json().path("model").asText();
    }

    @Test
    void keyMetadataThenHeaderThenBodyThenDefault() throws Exception {
        CallPrincipal keyed = new CallPrincipal("vk_1", "proj_1", Map.of("feature", "from-key"));
        CallPrincipal unkeyed = new CallPrincipal("vk_2", "proj_1", Map.of("team", "ads"));

        assertThat(forwardedModel(keyed, "from-header", "from-body")).isEqualTo("model-of-from-key");
        assertThat(forwardedModel(unkeyed, "from-header", "from-body")).isEqualTo("model-of-from-header");
        assertThat(forwardedModel(null, null, "from-body")).isEqualTo("model-of-from-body");
        assertThat(forwardedModel(null, null, null)).isEqualTo("model-of-default");
    }

    @Test
    void aKeyMayNotReachAModelOutsideItsAllowedModelsThroughAFeature() throws Exception {
        CallPrincipal restricted = new CallPrincipal("vk_3", "proj_1", Map.of(), List.of("model-of-from-*"));
        assertThat(forwardedModel(restricted, "from-header", null)).isEqualTo("model-of-from-header");

        CallPrincipal elsewhere = new CallPrincipal("vk_4", "proj_1", Map.of(), List.of("gpt-4o*"));
        assertThatThrownBy(() -> forwardedModel(elsewhere, "from-header", null))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(403);
                    assertThat(e.error().code()).isEqualTo("model_not_allowed");
                });
    }
}
