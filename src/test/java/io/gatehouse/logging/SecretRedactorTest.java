package io.gatehouse.logging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {

    /** Unique per test: the registry is process-wide. */
    private static String freshKey() {
        return "cfg-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String lastFour(String value) {
        return value.substring(value.length() - 4);
    }

    @Test
    void masksARegisteredValueWhereverItAppears() {
        String key = freshKey();
        SecretRedactor.register(key);
        assertThat(SecretRedactor.redact("calling upstream with " + key + " twice:" + key + "."))
                .isEqualTo("calling upstream with ****" + lastFour(key) + " twice:****" + lastFour(key) + ".");
    }

    @Test
    void masksARegisteredValueThatContainsAnotherWhole() {
        String shorter = freshKey();
        String longer = shorter + "extra9876";
        SecretRedactor.register(shorter);
        SecretRedactor.register(longer);
        assertThat(SecretRedactor.redact("k=" + longer)).isEqualTo("k=****9876");
    }

    @Test
    void ignoresNullBlankAndTinyValues() {
        SecretRedactor.register(null);
        SecretRedactor.register("  ");
        SecretRedactor.register("ab");
        assertThat(SecretRedactor.redact("a tab is not a secret")).isEqualTo("a tab is not a secret");
    }

    @Test
    void returnsTheSameInstanceWhenNothingMatches() {
        String text = "GET /v1/models 200 in 3 ms";
        assertThat(SecretRedactor.redact(text)).isSameAs(text);
    }

    @Test
    void masksOpenAiAndAnthropicKeys() {
        assertThat(SecretRedactor.redact("key sk-abcdefghijklmnopqrstu1234 end")).isEqualTo("key ****1234 end");
        assertThat(SecretRedactor.redact("sk-proj-AbCdEfGhIjKlMnOpQrSt_-5678")).isEqualTo("****5678");
        assertThat(SecretRedactor.redact("\"sk-ant-api03-abcdefghijklmnopqrstuvwx-9999\"")).isEqualTo("\"****9999\"");
    }

    @Test
    void masksGatehouseVirtualKeys() {
        String key = "gh-" + "Ab3".repeat(14) + "x";
        assertThat(SecretRedactor.redact("key " + key + " end")).isEqualTo("key ****" + key.substring(key.length() - 4) + " end");
        assertThat(SecretRedactor.redact("gh-short and github-actions")).isEqualTo("gh-short and github-actions");
    }

    @Test
    void leavesWordsThatMerelyContainSk() {
        String text = "task-queue-processor-number-one and sk-short";
        assertThat(SecretRedactor.redact(text)).isEqualTo(text);
    }

    @Test
    void masksBearerTokensButKeepsTheScheme() {
        assertThat(SecretRedactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig4321"))
                .isEqualTo("Authorization: Bearer ****4321");
        assertThat(SecretRedactor.redact("bearer abc")).isEqualTo("bearer abc");
        // The cheap pre-check before the regex must not miss a scheme written in an odd case.
        assertThat(SecretRedactor.redact("authorization: bEaReR eyJhbGciOiJIUzI1NiJ9.payload.sig4321"))
                .isEqualTo("authorization: bEaReR ****4321");
    }

    @Test
    void masksXApiKeyValuesInHeadersQueriesAndJson() {
        assertThat(SecretRedactor.redact("x-api-key: anthropic-secret-value-0042")).isEqualTo("x-api-key: ****0042");
        assertThat(SecretRedactor.redact("{\"X-Api-Key\":\"k-7777777777\",\"a\":1}")).isEqualTo("{\"X-Api-Key\":\"****7777\",\"a\":1}");
        assertThat(SecretRedactor.redact("?x-api-key=qwertyuiop1234&b=2")).isEqualTo("?x-api-key=****1234&b=2");
    }

    @Test
    void masksAwsAccessKeyIds() {
        assertThat(SecretRedactor.redact("aws AKIAIOSFODNN7EXAMPLE used")).isEqualTo("aws ****MPLE used");
    }

    @Test
    void shortValuesAreMaskedWhole() {
        assertThat(SecretRedactor.redact("x-api-key: abc12")).isEqualTo("x-api-key: ****");
    }

    @Test
    void theShortestShapesAreStillScanned() {
        // The pre-check skips texts too short for any known shape; these are exactly long enough.
        assertThat(SecretRedactor.redact("x-api-key:v")).isEqualTo("x-api-key:****");
        assertThat(SecretRedactor.redact("X-API-KEY=v")).isEqualTo("X-API-KEY=****");
        String tiny = "q9Z~";
        SecretRedactor.register(tiny);
        assertThat(SecretRedactor.redact(tiny)).isEqualTo("****");
    }

    @Test
    void keysThatJustFitAtTheEndOfATextAreFound() {
        // The pre-check wants room after sk- and gh- for the shortest key; these have exactly that.
        assertThat(SecretRedactor.redact("key: sk-abcdefghijkl1234")).isEqualTo("key: ****1234");
        String gh = "gh-" + "Ab3".repeat(14) + "x";
        assertThat(SecretRedactor.redact("key: " + gh)).isEqualTo("key: ****" + gh.substring(gh.length() - 4));
        assertThat(SecretRedactor.redact("sk-ant-abcdefghi1234")).isEqualTo("****1234");
    }

    @Test
    void requestIdsAreLeftAlone() {
        String requestId = "gh-0123456789abcdef0123ab";
        assertThat(SecretRedactor.redact(requestId)).isSameAs(requestId);
        assertThat(SecretRedactor.redact("trace-" + requestId + ".json")).isEqualTo("trace-" + requestId + ".json");
    }

    @Test
    void keysAfterOtherHyphensAndAtTheVeryStartAreFound() {
        String gh = "gh-" + "Ab3".repeat(14) + "x";
        assertThat(SecretRedactor.redact(gh)).isEqualTo("****" + gh.substring(gh.length() - 4));
        assertThat(SecretRedactor.redact("well-known re-run: sk-abcdefghijklmnopqrstu1234"))
                .isEqualTo("well-known re-run: ****1234");
        assertThat(SecretRedactor.redact("a-b-c X-Api-Key=qwertyuiop1234")).isEqualTo("a-b-c X-Api-Key=****1234");
    }

    @Test
    void maskingIsIdempotent() {
        String once = SecretRedactor.redact("Bearer abcdefghijklmnopqrstuvwxyz x-api-key: zyxwvutsrq12 sk-abcdefghijklmnopqrstu1234");
        assertThat(SecretRedactor.redact(once)).isEqualTo(once);
    }

    @Test
    void registeringWhileRedactingIsSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<String> keys = new ArrayList<>();
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String key = freshKey();
                keys.add(key);
                tasks.add(pool.submit(() -> SecretRedactor.register(key)));
                tasks.add(pool.submit(() -> SecretRedactor.redact("line with " + key)));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            assertThat(keys).allSatisfy(key -> assertThat(SecretRedactor.redact(key)).isEqualTo("****" + lastFour(key)));
        } finally {
            pool.shutdownNow();
        }
    }
}
