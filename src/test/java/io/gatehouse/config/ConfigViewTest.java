package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LLM_KEY = "sk-llm-key-aaaaaaaaaaaaaaaa1111";
    private static final String PROVIDER_KEY = "provider-key-bbbbbbbbbbbb2222";
    private static final String TOKEN = "webhook-token-cccccccccccc3333";
    private static final String PASSWORD = "nested-password-dddddddd4444";

    private static ProviderConfig upstream(String name, String type, String key) {
        return new ProviderConfig(name, type, "https://" + type + ".example", key, null, null, null, null);
    }

    private static GatehouseConfig config(ProviderConfig llm, List<ProviderConfig> providers, String defaultProvider) {
        ObjectNode settings = JSON.createObjectNode().put("log_body", true).put("webhook_token", TOKEN).put("max_tokens", 100);
        settings.putObject("upstream").put("Password", PASSWORD).put("user", "alice");
        settings.putArray("api_keys").add("list-secret-eeeeeeee5555");
        return new GatehouseConfig(null, llm, providers, defaultProvider,
                List.of(new InterceptorConfig("printer", true, settings)), null, null, null, null, null, null, null, null, null);
    }

    private static GatehouseConfig full() {
        return config(upstream(null, "openai", LLM_KEY),
                List.of(upstream("claude", "anthropic", PROVIDER_KEY), upstream("nokey", "openai", null)), null);
    }

    @Test
    void masksEveryApiKeyToItsLastFourCharacters() {
        ObjectNode view = ConfigView.effective(full());
        assertThat(view.path("llm").path("api_key").textValue()).isEqualTo("****1111");
        assertThat(view.path("providers").get(0).path("api_key").textValue()).isEqualTo("****2222");
        assertThat(view.path("providers").get(1).path("api_key").isNull()).isTrue();
    }

    @Test
    void showsTheSessionBlockWithItsDefaults() {
        ObjectNode session = (ObjectNode) ConfigView.effective(full()).path("session");
        assertThat(session.path("enabled").booleanValue()).isTrue();
        assertThat(session.path("max_sessions").intValue()).isEqualTo(10_000);
        assertThat(session.path("session_ttl_seconds").longValue()).isEqualTo(3600);
        assertThat(session.path("reset_phrases").size()).isEqualTo(8);
    }

    @Test
    void reportsWhetherAKeyIsConfigured() {
        ObjectNode view = ConfigView.effective(full());
        assertThat(view.path("llm").path("api_key_configured").booleanValue()).isTrue();
        assertThat(view.path("providers").get(0).path("api_key_configured").booleanValue()).isTrue();
        assertThat(view.path("providers").get(1).path("api_key_configured").booleanValue()).isFalse();
    }

    @Test
    void showsWhichUpstreamsAreSpokenToOverHttp2() {
        ProviderConfig http2 = new ProviderConfig("fast", "openai", "https://openai.example", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, true);
        ObjectNode view = ConfigView.effective(config(upstream(null, "openai", LLM_KEY), List.of(http2), null));
        assertThat(view.path("llm").path("http2").booleanValue()).isFalse();
        assertThat(view.path("providers").get(0).path("http2").booleanValue()).isTrue();
    }

    @Test
    void showsTheCaFileAPrivateUpstreamIsTrustedBy() {
        ProviderConfig internal = new ProviderConfig("local", "openai", "https://vllm.internal", null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, false,
                "/etc/ssl/private-ca.pem");
        ObjectNode view = ConfigView.effective(config(upstream(null, "openai", LLM_KEY), List.of(internal), null));
        assertThat(view.path("providers").get(0).path("ca_file").textValue()).isEqualTo("/etc/ssl/private-ca.pem");
        assertThat(view.path("llm").path("ca_file").isNull()).isTrue();
    }

    @Test
    void masksSecretSoundingInterceptorSettingsAtAnyDepth() {
        JsonNode settings = ConfigView.effective(full()).path("interceptors").get(0).path("config");
        assertThat(settings.path("webhook_token").textValue()).isEqualTo("****3333");
        assertThat(settings.path("upstream").path("Password").textValue()).isEqualTo("****4444");
        assertThat(settings.path("api_keys").get(0).textValue()).isEqualTo("****5555");
        assertThat(settings.path("max_tokens").textValue()).isEqualTo("****");
        assertThat(settings.path("log_body").booleanValue()).isTrue();
        assertThat(settings.path("upstream").path("user").textValue()).isEqualTo("alice");
    }

    @Test
    void noRawSecretAppearsAnywhereInTheJson() throws Exception {
        GatehouseConfig config = full();
        String json = JSON.writeValueAsString(ConfigView.effective(config));
        assertThat(json).doesNotContain(LLM_KEY, PROVIDER_KEY, TOKEN, PASSWORD, "list-secret-eeeeeeee5555");
        // The view is a copy: the running configuration keeps its real values.
        assertThat(config.interceptors().get(0).config().path("webhook_token").textValue()).isEqualTo(TOKEN);
    }

    @Test
    void showsTheWholeEffectiveConfiguration() {
        ObjectNode view = ConfigView.effective(full());
        assertThat(view.path("server").path("port").intValue()).isEqualTo(4000);
        assertThat(view.path("server").has("max_body_bytes")).isTrue();
        assertThat(view.path("llm").path("name").textValue()).isEqualTo("default");
        assertThat(view.path("llm").path("base_url").textValue()).isEqualTo("https://openai.example");
        assertThat(view.path("default_provider").textValue()).isEqualTo("default");
        assertThat(view.path("interceptors").get(0).path("type").textValue()).isEqualTo("printer");
        assertThat(view.path("logging").path("max_file_size").textValue()).isEqualTo("10MB");
        assertThat(view.path("logging").has("backup_count")).isTrue();
    }

    @Test
    void theLlmBlockIsTheFirstProviderNamedDefault() {
        assertThat(ConfigView.providers(full())).extracting(ProviderConfig::name).containsExactly("default", "claude", "nokey");
    }

    @Test
    void theLlmBlockKeepsItsOwnName() {
        GatehouseConfig config = config(upstream("main", "openai", null), List.of(), null);
        assertThat(ConfigView.providers(config)).extracting(ProviderConfig::name).containsExactly("main");
        assertThat(ConfigView.defaultProviderName(config)).isEqualTo("main");
    }

    @Test
    void theDefaultProviderIsExplicitThenLlmThenFirst() {
        List<ProviderConfig> providers = List.of(upstream("a", "openai", null), upstream("b", "anthropic", null));
        assertThat(ConfigView.defaultProviderName(config(upstream(null, "openai", null), providers, "b"))).isEqualTo("b");
        assertThat(ConfigView.defaultProviderName(config(upstream(null, "openai", null), providers, null))).isEqualTo("default");
        assertThat(ConfigView.defaultProviderName(config(null, providers, null))).isEqualTo("a");
    }
}
