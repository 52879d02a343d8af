package io.gatehouse.provider.openai;

import io.gatehouse.provider.StreamAssemblers;
import io.gatehouse.provider.anthropic.MessagesStreamAssembler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAssemblersTest {

    @Test
    void picksTheAssemblerByProviderAndPath() {
        assertThat(StreamAssemblers.forRequest("openai", "/v1/chat/completions"))
                .isInstanceOf(ChatCompletionStreamAssembler.class);
        assertThat(StreamAssemblers.forRequest("openai", "/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21"))
                .isInstanceOf(ChatCompletionStreamAssembler.class);
        assertThat(StreamAssemblers.forRequest("OpenAI", "/v1/responses/"))
                .isInstanceOf(ResponsesStreamAssembler.class);
        assertThat(StreamAssemblers.forRequest("anthropic", "/v1/messages"))
                .isInstanceOf(MessagesStreamAssembler.class);
    }

    @Test
    void unknownRoutesHaveNoAssembler() {
        assertThat(StreamAssemblers.forRequest("openai", "/v1/embeddings")).isNull();
        assertThat(StreamAssemblers.forRequest("openai", "/v1/messages")).isNull();
        assertThat(StreamAssemblers.forRequest("anthropic", "/v1/messages/count_tokens")).isNull();
        assertThat(StreamAssemblers.forRequest("anthropic", "/v1/chat/completions")).isNull();
        assertThat(StreamAssemblers.forRequest("gemini", "/v1/chat/completions")).isNull();
        assertThat(StreamAssemblers.forRequest(null, "/v1/chat/completions")).isNull();
    }

    @Test
    void eachCallGetsItsOwnAssembler() {
        assertThat(StreamAssemblers.forRequest("openai", "/v1/chat/completions"))
                .isNotSameAs(StreamAssemblers.forRequest("openai", "/v1/chat/completions"));
    }
}
