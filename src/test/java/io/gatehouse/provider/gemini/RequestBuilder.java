package io.gatehouse.provider.gemini;

import io.gatehouse.provider.translate.Message;
import io.gatehouse.provider.translate.Part;
import io.gatehouse.provider.translate.Reasoning;
import io.gatehouse.provider.translate.ResponseFormat;
import io.gatehouse.provider.translate.Role;
import io.gatehouse.provider.translate.ToolChoice;
import io.gatehouse.provider.translate.ToolSpec;
import io.gatehouse.provider.translate.UnifiedRequest;

import java.util.ArrayList;
import java.util.List;

/** Unified requests for tests, every field unset unless a test sets it. */
final class RequestBuilder {
    private String model = "gemini-2.5-flash";
    private final List<Part.Text> system = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private final List<ToolSpec> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private Integer maxTokens;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private List<String> stop;
    private Long seed;
    private Double presencePenalty;
    private Double frequencyPenalty;
    private ResponseFormat responseFormat;
    private Reasoning reasoning;
    private String user;
    private boolean stream;

    static RequestBuilder request() {
        return new RequestBuilder();
    }

    static Message user(Part... parts) {
        return new Message(Role.USER, List.of(parts));
    }

    static Message assistant(Part... parts) {
        return new Message(Role.ASSISTANT, List.of(parts));
    }

    static Part.Text text(String text) {
        return new Part.Text(text);
    }

    RequestBuilder model(String value) {
        model = value;
        return this;
    }

    RequestBuilder system(String... texts) {
        for (String text : texts) {
            system.add(new Part.Text(text));
        }
        return this;
    }

    RequestBuilder messages(Message... values) {
        messages.addAll(List.of(values));
        return this;
    }

    RequestBuilder tools(ToolSpec... values) {
        tools.addAll(List.of(values));
        return this;
    }

    RequestBuilder toolChoice(ToolChoice value) {
        toolChoice = value;
        return this;
    }

    RequestBuilder maxTokens(int value) {
        maxTokens = value;
        return this;
    }

    RequestBuilder temperature(double value) {
        temperature = value;
        return this;
    }

    RequestBuilder topP(double value) {
        topP = value;
        return this;
    }

    RequestBuilder topK(int value) {
        topK = value;
        return this;
    }

    RequestBuilder stop(String... values) {
        stop = List.of(values);
        return this;
    }

    RequestBuilder seed(long value) {
        seed = value;
        return this;
    }

    RequestBuilder penalties(double presence, double frequency) {
        presencePenalty = presence;
        frequencyPenalty = frequency;
        return this;
    }

    RequestBuilder responseFormat(ResponseFormat value) {
        responseFormat = value;
        return this;
    }

    RequestBuilder reasoning(String effort, Integer budgetTokens) {
        reasoning = new Reasoning(effort, budgetTokens);
        return this;
    }

    RequestBuilder user(String value) {
        user = value;
        return this;
    }

    RequestBuilder stream() {
        stream = true;
        return this;
    }

    UnifiedRequest build() {
        return new UnifiedRequest(model, system, messages, tools, toolChoice, maxTokens, temperature, topP, topK, stop,
                seed, presencePenalty, frequencyPenalty, responseFormat, reasoning, user, stream, stream);
    }
}
