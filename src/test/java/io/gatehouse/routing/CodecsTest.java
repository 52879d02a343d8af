package io.gatehouse.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.UnifiedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CodecsTest {

    /** Ollama reads the token limit only from max_tokens; vLLM and the others take max_completion_tokens. */
    @Test
    void eachOpenAiCompatibleServerGetsTheTokenLimitWhereItReadsIt() {
        UnifiedRequest request = new UnifiedRequest("qwen3:8b", null,
                List.of(new Message(Role.USER, List.of(new Part.Text("Hi")))), null, null, 256, null, null, null, null,
                null, null, null, null, null, null, false, false);
        assertThat(body("ollama", request).get("max_tokens").asInt()).isEqualTo(256);
        assertThat(body("ollama", request).has("max_completion_tokens")).isFalse();
        assertThat(body("vllm", request).get("max_completion_tokens").asInt()).isEqualTo(256);
    }

    private static JsonNode body(String type, UnifiedRequest request) {
        ProviderConfig provider = new ProviderConfig("local", type, "http://127.0.0.1:11434", null, null, null, null,
                null);
        return Codecs.outbound(provider).encodeRequest(request).body();
    }
}
