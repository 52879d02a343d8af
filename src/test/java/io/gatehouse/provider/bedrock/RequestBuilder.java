package io.gatehouse.provider.bedrock;

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

/** Unified requests for tests, field by field. */
final class RequestBuilder {
    String model = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    List<Part.Text> system = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    List<ToolSpec> tools = new ArrayList<>();
    ToolChoice toolChoice;
    Integer maxTokens;
    Double temperature;
    Double topP;
    Integer topK;
    List<String> stop = new ArrayList<>();
    Long seed;
    Double presencePenalty;
    Double frequencyPenalty;
    ResponseFormat responseFormat;
    Reasoning reasoning;
    String user;
    boolean stream;

    static RequestBuilder request() {
        return new RequestBuilder();
    }

    RequestBuilder user(Part... parts) {
        messages.add(new Message(Role.USER, List.of(parts)));
        return this;
    }

    RequestBuilder user(String text) {
        return user(new Part.Text(text));
    }

    RequestBuilder assistant(Part... parts) {
        messages.add(new Message(Role.ASSISTANT, List.of(parts)));
        return this;
    }

    RequestBuilder assistant(String text) {
        return assistant(new Part.Text(text));
    }

    RequestBuilder system(String text) {
        system.add(new Part.Text(text));
        return this;
    }

    RequestBuilder tool(ToolSpec tool) {
        tools.add(tool);
        return this;
    }

    UnifiedRequest build() {
        return new UnifiedRequest(model, system, messages, tools, toolChoice, maxTokens, temperature, topP, topK, stop,
                seed, presencePenalty, frequencyPenalty, responseFormat, reasoning, user, stream, false);
    }
}
