package io.gatehouse.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS SDK signer as wrapped here, against the published SigV4 test suite. */
class SigV4SignerTest {
    private static final JsonNode SUITE = Golden.json("sigv4-test-suite.json");
    private static final Instant SUITE_TIME = Instant.parse(SUITE.get("time").asText());

    static Stream<Arguments> suite() {
        return StreamSupport.stream(SUITE.get("cases").spliterator(), false)
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suite")
    void signsEachCaseOfTheTestSuiteExactlyAsPublished(String name, JsonNode vector) {
        AwsCredentials credentials = new AwsCredentials(SUITE.get("accessKeyId").asText(),
                SUITE.get("secretAccessKey").asText(),
                vector.has("sessionToken") ? vector.get("sessionToken").asText() : null);

        Map<String, String> added = SigV4Signer.sign(vector.get("method").asText(), vector.get("url").asText(),
                headers(vector.get("headers")), vector.get("body").asText().getBytes(StandardCharsets.UTF_8),
                credentials, SUITE.get("region").asText(), SUITE.get("service").asText(), SUITE_TIME);

        assertThat(added.get("Authorization")).isEqualTo(vector.get("authorization").asText());
        assertThat(added.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        if (credentials.sessionToken() != null) {
            assertThat(added.get("X-Amz-Security-Token")).isEqualTo(credentials.sessionToken());
        } else {
            assertThat(added).doesNotContainKey("X-Amz-Security-Token");
        }
    }

    @Test
    void addsOnlyTheSigningHeaders() {
        Map<String, String> added = SigV4Signer.sign("POST", "https://example.amazonaws.com/",
                Map.of("Content-Type", List.of("application/json")), "{}".getBytes(StandardCharsets.UTF_8),
                new AwsCredentials("AKIDEXAMPLE", "secret", null), "us-east-1", "bedrock", SUITE_TIME);

        assertThat(added.keySet()).containsExactly("Authorization", "X-Amz-Date");
        assertThat(added.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, Signature=");
    }

    @Test
    void theSignatureDependsOnTheBodyAndTheTime() {
        AwsCredentials credentials = new AwsCredentials("AKIDEXAMPLE", "secret", null);
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse";
        String first = SigV4Signer.sign("POST", url, Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                credentials, "us-east-1", "bedrock", SUITE_TIME).get("Authorization");
        String otherBody = SigV4Signer.sign("POST", url, Map.of(), "{\"a\":2}".getBytes(StandardCharsets.UTF_8),
                credentials, "us-east-1", "bedrock", SUITE_TIME).get("Authorization");
        String otherTime = SigV4Signer.sign("POST", url, Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                credentials, "us-east-1", "bedrock", SUITE_TIME.plusSeconds(1)).get("Authorization");

        assertThat(first).isNotEqualTo(otherBody).isNotEqualTo(otherTime);
    }

    @Test
    void credentialsNeverShowTheirSecretsInToString() {
        AwsCredentials credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "session-token-0123456789");

        assertThat(credentials.toString()).contains("AKIDEXAMPLE")
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("session-token-0123");
    }

    private static Map<String, List<String>> headers(JsonNode json) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        json.properties().forEach(field -> {
            List<String> values = new ArrayList<>();
            field.getValue().forEach(value -> values.add(value.asText()));
            headers.put(field.getKey(), values);
        });
        return headers;
    }
}
