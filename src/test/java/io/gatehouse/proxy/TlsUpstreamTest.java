package io.gatehouse.proxy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.testing.FakeUpstream;
import io.gatehouse.testing.GatewayTestSupport;
import io.gatehouse.testing.TestGateway;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An https upstream whose certificate chains to a private CA ({@code ca_file}): trusted for it over HTTP/1.1 and over
 * HTTP/2 by ALPN, and refused without it or under a host name the certificate does not name.
 */
class TlsUpstreamTest extends GatewayTestSupport {
    private static final String KEY = "sk-tls-upstream-0123456789";

    private SelfSignedCertificate certificate;
    private FakeUpstream upstream;
    private TestGateway.Running gateway;
    private OpenAIClient openai;

    @BeforeEach
    void startUpstream() {
        certificate = SelfSignedCertificate.create("localhost");
        upstream = FakeUpstream.startTls(vertx, certificate);
    }

    @AfterEach
    void stop() {
        if (openai != null) {
            openai.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        certificate.delete();
    }

    private void startGateway(String baseUrl, boolean http2, String caFile) {
        gateway = TestGateway.builder().provider(new ProviderConfig("openai", "openai", baseUrl, KEY, null, null, null, 0,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, http2, caFile))
                .start();
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-placeholder")
                .maxRetries(0).build();
    }

    private ChatCompletion chat() {
        return openai.chat().completions().create(ChatCompletionCreateParams.builder().model("demo-gpt")
                .addUserMessage("over tls").build());
    }

    @Test
    void trustsTheCaFileOverHttp11() {
        startGateway(upstream.httpsBaseUrl(), false, certificate.certificatePath());

        assertThat(chat().choices().getFirst().message().content()).hasValueSatisfying(text -> assertThat(text).contains("over tls"));
        FakeUpstream.RecordedRequest recorded = upstream.takeRequest();
        assertThat(recorded.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(recorded.header("authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void negotiatesHttp2ByAlpnWithTheCaFile() {
        startGateway(upstream.httpsBaseUrl(), true, certificate.certificatePath());

        assertThat(chat().choices()).hasSize(1);
        assertThat(upstream.takeRequest().version()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void withoutTheCaFileTheUpstreamIsNotTrusted() {
        startGateway(upstream.httpsBaseUrl(), false, null);

        assertThatThrownBy(this::chat).isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(502);
            assertThat(e.code()).hasValue("upstream_tls_failed");
            assertThat(e.getMessage()).contains("not trusted").doesNotContain(KEY);
        });
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void theHostNameIsStillVerified() {
        // The certificate names localhost, not 127.0.0.1.
        startGateway("https://127.0.0.1:" + upstream.port(), false, certificate.certificatePath());

        assertThatThrownBy(this::chat).isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(502);
            assertThat(e.code()).hasValue("upstream_tls_failed");
        });
        assertThat(upstream.requests()).isEmpty();
    }
}
