package io.gatehouse.provider.bedrock;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.WireFormats;
import io.gatehouse.provider.translate.StreamDecoder;
import io.gatehouse.provider.translate.StreamEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.provider.bedrock.ConverseRequestEncoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BedrockFormatTest {
    private static final BedrockFormat FORMAT = BedrockFormat.INSTANCE;
    private static final String URL = "https://bedrock-runtime.eu-west-3.amazonaws.com/model/"
            + "anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse";
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";

    @Test
    void errorsAreAMessageAndATypeHeader() {
        GatewayError error = new GatewayError(ErrorKind.RATE_LIMIT_EXCEEDED, "Project limit reached", "limit");

        assertThat(json(FORMAT.errorBody(error).toString())).isEqualTo(json("{\"message\":\"Project limit reached\"}"));
        assertThat(BedrockFormat.errorType(error)).isEqualTo("ThrottlingException");
        assertThat(BedrockFormat.errorType(GatewayError.invalidRequest("x"))).isEqualTo("ValidationException");
        assertThat(BedrockFormat.errorType(GatewayError.internal("x"))).isEqualTo("InternalServerException");
    }

    @Test
    void aStreamErrorIsAnEventStreamExceptionFrame() {
        GatewayError error = GatewayError.internal("The gateway failed");

        Message frame = Message.decode(ByteBuffer.wrap(FORMAT.streamErrorEvent(error).getBytes()));

        assertThat(frame.getHeaders().get(":message-type").getString()).isEqualTo("exception");
        assertThat(frame.getHeaders().get(":exception-type").getString()).isEqualTo("internalServerException");
        assertThat(frame.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
        assertThat(json(new String(frame.getPayload(), StandardCharsets.UTF_8)))
                .isEqualTo(json("{\"message\":\"The gateway failed\"}"));
    }

    @Test
    void aStreamErrorFrameReadsBackAsTheSameKindOfError() {
        GatewayError error = new GatewayError(ErrorKind.BUDGET_EXCEEDED, "Budget spent", "budget");
        StreamDecoder decoder = new BedrockOutboundCodec().streamDecoder();

        List<StreamEvent> events = decoder.decode(FORMAT.streamErrorEvent(error));

        GatewayError read = ((StreamEvent.Error) events.getFirst()).error();
        assertThat(read.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(read.status()).isEqualTo(429);
        assertThat(read.message()).isEqualTo("Budget spent");
    }

    @Test
    void anApiKeyIsABearerToken() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer client-key")
                .add("X-Amz-Date", "20200101T000000Z").add("content-type", "application/json");

        FORMAT.applyCredential(headers, Secret.ofNullable("ABSKQmVkcm9ja0FQSUtleQ=="));

        assertThat(headers.getAll("authorization")).containsExactly("Bearer ABSKQmVkcm9ja0FQSUtleQ==");
        assertThat(headers.contains("x-amz-date")).isFalse();
        assertThat(headers.get("content-type")).isEqualTo("application/json");
    }

    @Test
    void anAccessKeyLeavesSigningToSign() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer client-key")
                .add("x-amz-security-token", "client-token");

        FORMAT.applyCredential(headers, Secret.ofNullable("AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

        assertThat(headers.isEmpty()).isTrue();
    }

    @Test
    void signsWithAnAccessKeyForTheRegionOfTheHost() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")
                .add("user-agent", "openai-python/1.0").add("X-Amz-Security-Token", "the-client's");

        FORMAT.sign(HttpMethod.POST, URL, headers, Buffer.buffer(BODY),
                Secret.ofNullable("AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY:FwoGZXIvYXdzEXAMPLE"), null,
                NOW);

        assertThat(headers.get("authorization")).matches("AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20250102/eu-west-3/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}");
        assertThat(headers.get("x-amz-date")).isEqualTo("20250102T030405Z");
        assertThat(headers.getAll("x-amz-security-token")).containsExactly("FwoGZXIvYXdzEXAMPLE");
        assertThat(headers.get("user-agent")).isEqualTo("openai-python/1.0");
        Map<String, String> direct = SigV4Signer.sign("POST", URL,
                Map.of("content-type", List.of("application/json")), BODY.getBytes(StandardCharsets.UTF_8),
                new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLE"),
                "eu-west-3", "bedrock", NOW);
        assertThat(headers.get("authorization")).isEqualTo(direct.get("Authorization"));
    }

    @Test
    void aConfiguredRegionWinsOverTheHost() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();

        FORMAT.sign(HttpMethod.POST, "https://vpce-0a1b.bedrock-runtime.example.internal/model/m/converse", headers,
                Buffer.buffer(BODY), Secret.ofNullable("AKIDEXAMPLE:secret"), "ap-south-1", NOW);

        assertThat(headers.get("authorization")).contains("/20250102/ap-south-1/bedrock/aws4_request");
        assertThat(headers.contains("x-amz-security-token")).isFalse();
    }

    @Test
    void aProviderConfiguredWithARegionSignsRequestsToAnyHostForIt() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        WireFormat configured = WireFormats.of("bedrock", "eu-central-1");

        configured.authorize(HttpMethod.POST, "http://127.0.0.1:8123/model/m/converse", headers, Buffer.buffer(BODY),
                Secret.ofNullable("AKIDEXAMPLE:secret"));

        assertThat(headers.get("authorization")).contains("/eu-central-1/bedrock/aws4_request");
        assertThatThrownBy(() -> WireFormats.of("bedrock", null).authorize(HttpMethod.POST,
                "http://127.0.0.1:8123/model/m/converse", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(BODY),
                Secret.ofNullable("AKIDEXAMPLE:secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
    }

    @Test
    void withoutARegionAnUnknownHostCannotBeSigned() {
        assertThatThrownBy(() -> FORMAT.sign(HttpMethod.POST, "https://proxy.example.com/model/m/converse",
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(BODY), Secret.ofNullable("AKID:secret"), null, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
    }

    @Test
    void signingWithAnApiKeySetsTheBearerToken() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();

        FORMAT.sign(HttpMethod.POST, URL, headers, Buffer.buffer(BODY), Secret.ofNullable("ABSKkey"), null, NOW);

        assertThat(headers.get("authorization")).isEqualTo("Bearer ABSKkey");
        assertThat(headers.contains("x-amz-date")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "bedrock-runtime.us-east-1.amazonaws.com,us-east-1",
            "BEDROCK-RUNTIME.US-WEST-2.AMAZONAWS.COM,us-west-2",
            "bedrock-runtime-fips.us-gov-west-1.amazonaws.com,us-gov-west-1",
            "bedrock-runtime.cn-north-1.amazonaws.com.cn,cn-north-1",
            "bedrock.us-east-1.amazonaws.com,none",
            "bedrock-runtime.amazonaws.com,none",
            "bedrock-runtime.us-east-1.example.com,none",
            "example.com,none"})
    void readsTheRegionFromARuntimeHost(String host, String region) {
        assertThat(BedrockFormat.regionOf(host)).isEqualTo(Optional.ofNullable(region));
    }

    @Test
    void accessKeysAndApiKeysAreToldApart() {
        assertThat(AwsCredentials.isAccessKey(Secret.ofNullable("ABSKQmVkcm9ja0FQSUtleQ=="))).isFalse();
        assertThat(AwsCredentials.parse(Secret.ofNullable("AKID:SECRET")))
                .isEqualTo(new AwsCredentials("AKID", "SECRET", null));
        assertThat(AwsCredentials.parse(Secret.ofNullable("AKID:SECRET:TOKEN")))
                .isEqualTo(new AwsCredentials("AKID", "SECRET", "TOKEN"));
        assertThatThrownBy(() -> AwsCredentials.parse(Secret.ofNullable("A:B:C:D")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AwsCredentials.parse(Secret.ofNullable("AKID:")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTypeAndCredentialHeaders() {
        assertThat(FORMAT.type()).isEqualTo("bedrock");
        assertThat(new BedrockOutboundCodec().type()).isEqualTo("bedrock");
        assertThat(FORMAT.credentialHeaders()).containsExactly("authorization", "x-amz-security-token", "x-amz-date");
    }
}
