package io.gatehouse.limit;

import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a call's dimension values come from: the authenticated key first, then what the client says. */
class DimensionTest {

    private static ProxyRequest request(String json, Map<String, String> headers) throws Exception {
        ProxyRequest.Builder builder = ProxyRequest.builder().path("/v1/chat/completions")
                .parsedJson(json == null ? null : Json.MAPPER.readTree(json));
        headers.forEach(builder::header);
        return builder.build();
    }

    @Test
    void keyMetadataWinsOverHeadersAndTheBody() throws Exception {
        CallPrincipal principal = new CallPrincipal("vk_1", "proj_1", Map.of("user", "alice", "team", "search", "tier", "gold"));
        ProxyRequest request = request("{\"model\":\"gpt-4o\",\"metadata\":{\"user_id\":\"mallory\",\"tier\":\"free\"}}",
                Map.of("x-gatehouse-user", "eve", "x-gatehouse-team", "ads"));

        assertThat(Dimension.parse("user").valueOf(principal, request)).isEqualTo("alice");
        assertThat(Dimension.parse("team").valueOf(principal, request)).isEqualTo("search");
        assertThat(Dimension.parse("meta:tier").valueOf(principal, request)).isEqualTo("gold");
        assertThat(Dimension.parse("key").valueOf(principal, request)).isEqualTo("vk_1");
        assertThat(Dimension.parse("project").valueOf(principal, request)).isEqualTo("proj_1");
        assertThat(Dimension.parse("model").valueOf(principal, request)).isEqualTo("gpt-4o");
    }

    @Test
    void withoutAKeyHeadersComeBeforeTheBody() throws Exception {
        ProxyRequest request = request("{\"user\":\"openai-user\",\"metadata\":{\"user_id\":\"body-user\",\"feature\":\"chat\"}}",
                Map.of("x-gatehouse-user", "header-user"));

        assertThat(Dimension.parse("user").valueOf(null, request)).isEqualTo("header-user");
        assertThat(Dimension.parse("user_id").valueOf(null, request(
                "{\"user\":\"openai-user\",\"metadata\":{\"user_id\":\"body-user\"}}", Map.of()))).isEqualTo("body-user");
        assertThat(Dimension.parse("user").valueOf(null, request("{\"user\":\"openai-user\"}", Map.of()))).isEqualTo("openai-user");
        assertThat(Dimension.parse("feature").valueOf(null, request)).isEqualTo("chat");
    }

    @Test
    void aMissingValueIsUnknown() throws Exception {
        ProxyRequest noBody = request(null, Map.of());
        assertThat(Dimension.parse("team").valueOf(null, noBody)).isEqualTo("unknown");
        assertThat(Dimension.parse("model").valueOf(null, noBody)).isEqualTo("unknown");
        assertThat(Dimension.parse("key").valueOf(null, noBody)).isEqualTo("unknown");
        assertThat(Dimension.parse("organization").valueOf(null, request("{\"metadata\":{\"organization\":\"acme\"}}", Map.of())))
                .isEqualTo("acme");
    }
}
