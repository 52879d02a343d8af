package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.CallOutcome;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.RecordingInterceptor;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class InterceptorChainTest extends GatewayTestSupport {
    private static final String CHAT = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    private static final String STREAM = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start(vertx);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void startGateway(Interceptor... interceptors) {
        TestGateway builder = TestGateway.builder().provider("openai", "openai", upstream.baseUrl(), "sk-k");
        for (Interceptor interceptor : interceptors) {
            builder.interceptor(interceptor);
        }
        gateway = builder.start();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return postJson(gateway.baseUrl() + "/v1/chat/completions", body, Map.of());
    }

    /** An interceptor made of a lambda, for the cases below. */
    private static Interceptor interceptor(String name, Function<Chain, Future<ProxyResponse>> body) {
        return new Interceptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<ProxyResponse> intercept(Chain chain) {
                return body.apply(chain);
            }
        };
    }

    @Test
    void interceptorsRunInOrderAndHearTheEndInnermostFirst() throws Exception {
        RecordingInterceptor outer = new RecordingInterceptor("outer", log);
        RecordingInterceptor inner = new RecordingInterceptor("inner", log);
        startGateway(outer, inner);
        assertThat(post(CHAT).statusCode()).isEqualTo(200);
        CallEnd end = outer.awaitEnd();
        inner.awaitEnd();
        assertThat(log).containsExactly("outer:request", "inner:request", "inner:response", "outer:response",
                "inner:end:COMPLETED", "outer:end:COMPLETED");
        assertThat(end.status()).isEqualTo(200);
        assertThat(end.bytesOut()).isPositive();
        assertThat(String.join("", outer.chunks)).contains("Echo: hello there");
    }

    @Test
    void anInterceptorCanAnswerWithoutCallingUpstream() throws Exception {
        RecordingInterceptor before = new RecordingInterceptor("before", log);
        RecordingInterceptor after = new RecordingInterceptor("after", log);
        Interceptor blocker = interceptor("blocker", chain -> Future.succeededFuture(ProxyResponse.error(
                chain.request().upstream().format(), new GatewayError(ErrorKind.PERMISSION, "blocked by policy", "policy"))));
        startGateway(before, blocker, after);
        HttpResponse<String> response = post(CHAT);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(response.body()).path("error").path("message").asText()).isEqualTo("blocked by policy");
        assertThat(before.awaitEnd().outcome()).isEqualTo(CallOutcome.COMPLETED);
        assertThat(upstream.requests()).isEmpty();
        assertThat(log).doesNotContain("after:request").doesNotContain("after:end:COMPLETED");
    }

    @Test
    void anInterceptorCanRewriteTheRequest() throws Exception {
        startGateway(interceptor("rewriter", chain -> {
            ProxyRequest request = chain.request();
            ObjectNode json = request.json().deepCopy();
            json.put("user", "gatehouse-test");
            return chain.proceed(request.toBuilder().json(json).header("x-added", "yes").path("/v1/chat/completions").build());
        }));
        assertThat(post(CHAT).statusCode()).isEqualTo(200);
        FakeUpstream.RecordedRequest seen = upstream.lastRequest();
        assertThat(Json.MAPPER.readTree(seen.body().getBytes()).path("user").asText()).isEqualTo("gatehouse-test");
        assertThat(seen.headers().get("x-added")).isEqualTo("yes");
        assertThat(seen.headers().get("content-length")).isEqualTo(Integer.toString(seen.body().length()));
    }

    @Test
    void anInterceptorCanTransformEachChunkOfAStream() throws Exception {
        List<String> events = new ArrayList<>();
        startGateway(interceptor("upper", chain -> chain.proceed(chain.request()).map(response -> response
                .observeEvents(event -> events.add(event.data()))
                .transformChunks(chunk -> Buffer.buffer(chunk.toString().replace("Echo", "ECHO"))))));
        HttpResponse<String> response = post(STREAM);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ECHO").doesNotContain("Echo");
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.size()).isGreaterThan(3);
    }

    @Test
    void anUpstreamFailureIsSeenAsFailedExactlyOnce() throws Exception {
        RecordingInterceptor recorder = new RecordingInterceptor("rec", log);
        startGateway(recorder);
        upstream.close();
        HttpResponse<String> response = post(CHAT);
        assertThat(response.statusCode()).isEqualTo(502);
        CallEnd end = recorder.awaitEnd();
        assertThat(end.outcome()).isEqualTo(CallOutcome.FAILED);
        assertThat(end.status()).isEqualTo(502);
        assertThat(end.failure().kind()).isEqualTo(ErrorKind.UPSTREAM_UNREACHABLE);
        Thread.sleep(100);
        assertThat(recorder.ends).isEmpty();
        upstream = FakeUpstream.start(vertx);
    }

    @Test
    void aThrowingInterceptorGivesA500InTheProvidersShapeAndTheOthersStillHearTheEnd() throws Exception {
        RecordingInterceptor outer = new RecordingInterceptor("outer", log);
        startGateway(outer, interceptor("broken", chain -> {
            throw new IllegalStateException("bug in an interceptor with secret sk-should-not-leak");
        }));
        HttpResponse<String> response = post(CHAT);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(Json.MAPPER.readTree(response.body()).path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(response.body()).doesNotContain("sk-should-not-leak").doesNotContain("IllegalStateException");
        assertThat(outer.awaitEnd().outcome()).isEqualTo(CallOutcome.FAILED);
    }

    @Test
    void anInterceptorCanRetryByProceedingTwiceAndStillHearsOneEnd() throws Exception {
        RecordingInterceptor inner = new RecordingInterceptor("inner", log);
        startGateway(interceptor("retry", chain -> chain.proceed(chain.request())
                .compose(first -> {
                    first.body().cancel();
                    return chain.proceed(chain.request());
                })), inner);
        assertThat(post(CHAT).statusCode()).isEqualTo(200);
        assertThat(inner.awaitEnd().outcome()).isEqualTo(CallOutcome.COMPLETED);
        Thread.sleep(100);
        assertThat(inner.ends).isEmpty();
        assertThat(upstream.requests()).hasSize(2);
    }

    /** Sets a response header from the request head, logs what it saw, and passes every call on. */
    private Interceptor headHook(String name, boolean fails) {
        return new Interceptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void onRequestHead(Call call, HttpMethod method, String path, MultiMap headers, Upstream upstream) {
                log.add(name + ":head " + method.name() + " " + path + " " + upstream.name());
                if (fails) {
                    throw new IllegalStateException("broken hook");
                }
                call.responseHeaders().set("x-" + name, headers.get("x-probe"));
            }

            @Override
            public Future<ProxyResponse> intercept(Chain chain) {
                log.add(name + ":request");
                return chain.proceed(chain.request());
            }
        };
    }

    @Test
    void everyInterceptorSeesTheRequestHeadBeforeAnyInterceptAndEvenARefusalBeforeTheChainCarriesItsHeaders() throws Exception {
        startGateway(headHook("a", false), headHook("b", false));
        HttpResponse<String> ok = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of("x-probe", "1"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-a")).hasValue("1");
        assertThat(log).containsExactly("a:head POST /v1/chat/completions openai", "b:head POST /v1/chat/completions openai",
                "a:request", "b:request");

        log.clear();
        HttpResponse<String> malformed = postJson(gateway.baseUrl() + "/v1/chat/completions", "{\"model\":", Map.of("x-probe", "2"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("x-b")).hasValue("2");
        assertThat(log).containsExactly("a:head POST /v1/chat/completions openai", "b:head POST /v1/chat/completions openai");
    }

    @Test
    void aFailingHeadHookIsLoggedAndTheCallGoesOn() throws Exception {
        startGateway(headHook("broken", true), headHook("fine", false));
        HttpResponse<String> response = postJson(gateway.baseUrl() + "/v1/chat/completions", CHAT, Map.of("x-probe", "3"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-fine")).hasValue("3");
    }
}
