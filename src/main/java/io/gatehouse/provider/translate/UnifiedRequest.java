package io.gatehouse.provider.translate;

import java.util.List;

/**
 * A chat call in the shape every supported API can be read into. Fields are null when the client did not set them;
 * an outbound codec that cannot carry a set field to its provider refuses the call with
 * {@link UnsupportedFeature#refuse} instead of dropping it.
 *
 * @param model       the model as the target provider names it (routing prefixes already removed)
 * @param system      the system prompt (OpenAI system and developer messages, Anthropic's {@code system}), in order
 * @param stop        stop sequences
 * @param user        an end-user id (OpenAI {@code user}, Anthropic {@code metadata.user_id})
 * @param includeUsage true when a streaming OpenAI client asked for the usage chunk ({@code stream_options})
 */
public record UnifiedRequest(
        String model,
        List<Part.Text> system,
        List<Message> messages,
        List<ToolSpec> tools,
        ToolChoice toolChoice,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        List<String> stop,
        Long seed,
        Double presencePenalty,
        Double frequencyPenalty,
        ResponseFormat responseFormat,
        Reasoning reasoning,
        String user,
        boolean stream,
        boolean includeUsage) {

    public UnifiedRequest {
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public UnifiedRequest withModel(String newModel) {
        return new UnifiedRequest(newModel, system, messages, tools, toolChoice, maxTokens, temperature, topP, topK,
                stop, seed, presencePenalty, frequencyPenalty, responseFormat, reasoning, user, stream, includeUsage);
    }
}
