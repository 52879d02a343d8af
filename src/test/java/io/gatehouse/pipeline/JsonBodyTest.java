package io.gatehouse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyTest {

    /** The scan must refuse exactly the bodies readTree refuses, or a malformed body would pass and fail later. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\",\"stream\":true}",
            "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\\n\"}",
            "[1,2,3]", "\"text\"", "42", "true", "null", "   ",
            "{} trailing words", "{}{}", // readTree reads the first value only
            "{\"a\":1,\"a\":2}",
            "{\"n\":123456789012345678901234567890}",
            // refused:
            "{", "{\"a\":}", "{\"a\" 1}", "[1,2", "{\"a\":tru}", "{'a':1}", "{\"a\":01}", "{\"a\":\"\\q\"}",
            "{\"a\":\"unterminated}", "{\"a\":1,}", "{\"a\":\"tab\there\"}", "nul", "{\"a\":-}", "{\"model\":[1,}",
    })
    void acceptsExactlyWhatReadTreeAccepts(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean treeAccepts;
        try {
            Json.MAPPER.readTree(bytes);
            treeAccepts = true;
        } catch (Exception e) {
            treeAccepts = false;
        }
        boolean scanAccepts;
        try {
            JsonBody.scan(Buffer.buffer(bytes));
            scanAccepts = true;
        } catch (Exception e) {
            scanAccepts = false;
        }
        assertThat(scanAccepts).as(body).isEqualTo(treeAccepts);
    }

    @Test
    void refusesBrokenUtf8InsideAString() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x28, (byte) 0xA1, '"', '}'};
        assertThatThrownBy(() -> Json.MAPPER.readTree(bytes)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> JsonBody.scan(Buffer.buffer(bytes))).isInstanceOf(Exception.class);
    }

    @Test
    void refusesNestingDeeperThanTheParserAllows() {
        String deep = "[".repeat(1_001) + "]".repeat(1_001);
        assertThatThrownBy(() -> Json.MAPPER.readTree(deep)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> JsonBody.scan(Buffer.buffer(deep))).isInstanceOf(Exception.class);
    }

    /** model and stream read from the scan agree with what the tree says, for every shape of value. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\",\"stream\":true}",
            "{\"stream\":false,\"model\":\"m\"}",
            "{\"messages\":[{\"model\":\"inner\",\"stream\":true}],\"model\":\"outer\"}",
            "{\"model\":\"first\",\"model\":\"last\",\"stream\":true,\"stream\":false}",
            "{\"model\":42,\"stream\":1}", "{\"model\":null,\"stream\":0}", "{\"stream\":\" true \"}",
            "{\"stream\":\"yes\"}", "{\"stream\":2.5}", "{\"stream\":123456789012345678901234567890}",
            "{\"stream\":{\"x\":true},\"model\":{\"id\":\"m\"}}", "{\"stream\":[true]}",
            "[{\"model\":\"m\",\"stream\":true}]", "\"model\"", "{}",
    })
    void modelAndStreamAgreeWithTheTree(String body) throws Exception {
        JsonNode tree = Json.MAPPER.readTree(body);
        JsonBody scanned = JsonBody.scan(Buffer.buffer(body));
        JsonBody parsed = JsonBody.of(tree);

        JsonNode model = tree.get("model");
        String expectedModel = tree.isObject() && model != null && model.isTextual() ? model.textValue() : null;
        boolean expectedStream = tree.path("stream").asBoolean(false);
        assertThat(scanned.model()).as(body).isEqualTo(expectedModel);
        assertThat(scanned.stream()).as(body).isEqualTo(expectedStream);
        assertThat(parsed.model()).as(body).isEqualTo(expectedModel);
        assertThat(parsed.stream()).as(body).isEqualTo(expectedStream);
    }

    @Test
    void buildsTheTreeOnceOnFirstUseAndItEqualsReadTree() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo ✓\"}],\"n\":1.5}";
        JsonBody json = JsonBody.scan(Buffer.buffer(body));

        JsonNode first = json.tree();
        assertThat(first).isEqualTo(Json.MAPPER.readTree(body));
        assertThat(json.tree()).isSameAs(first);
        assertThat(json.model()).isEqualTo("gpt-4o");
    }

    @Test
    void readsOnlyTheBufferItIsGivenWhenThatIsASliceOfALargerOne() throws Exception {
        String body = "{\"model\":\"m\",\"stream\":true}";
        Buffer slice = Buffer.buffer("[[[" + body + "garbage").slice(3, 3 + body.length());

        JsonBody json = JsonBody.scan(slice);

        assertThat(json.model()).isEqualTo("m");
        assertThat(json.tree()).isEqualTo(Json.MAPPER.readTree(body));
        assertThatThrownBy(() -> JsonBody.scan(Buffer.buffer("{\"a\":[1,2]}xx").slice(0, 8)))
                .isInstanceOf(Exception.class);
    }

    @Test
    void aRequestAnswersModelAndStreamWithoutATreeAndKeepsItsJsonAfterLosingTheBody() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}";
        ProxyRequest request = ProxyRequest.builder().body(Buffer.buffer(body))
                .parsedJson(JsonBody.scan(Buffer.buffer(body))).build();

        assertThat(request.model()).isEqualTo("gpt-4o");
        assertThat(request.wantsStream()).isTrue();
        ProxyRequest bodiless = request.withoutBody();
        assertThat(bodiless.body().length()).isZero();
        assertThat(bodiless.json()).isEqualTo(Json.MAPPER.readTree(body));
    }

    @Test
    void aReplacedTreeIsWhatModelStreamAndTheBodySay() {
        ObjectNode replaced = Json.MAPPER.createObjectNode().put("model", "other").put("stream", false);
        ProxyRequest request = ProxyRequest.builder().body(Buffer.buffer("{\"model\":\"gpt-4o\",\"stream\":true}"))
                .json(replaced).build();

        assertThat(request.model()).isEqualTo("other");
        assertThat(request.wantsStream()).isFalse();
        assertThat(request.body().toString()).isEqualTo("{\"model\":\"other\",\"stream\":false}");
    }
}
