package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Folds the environment and the command line into the file's tree (flags over env over file), then fills
 * what each upstream's type implies: the public base URL, and the provider's conventional key variable.
 */
final class ConfigOverrides {
    /** Environment variables that set a key outright, as the seed's docker setup used them. */
    private static final Map<String, String> ENV_KEYS = envKeys();
    private static final Map<String, String> PUBLIC_BASE_URLS = Map.of(
            "openai", "https://api.openai.com",
            "anthropic", "https://api.anthropic.com",
            "gemini", "https://generativelanguage.googleapis.com",
            "ollama", "http://127.0.0.1:11434");
    /** Only a fallback: they never replace a key given by flag, LLM_API_KEY or the file. */
    private static final Map<String, String> KEY_FALLBACK_VARIABLES = Map.of(
            "openai", "OPENAI_API_KEY",
            "anthropic", "ANTHROPIC_API_KEY",
            "gemini", "GEMINI_API_KEY",
            "azure", "AZURE_OPENAI_API_KEY",
            "bedrock", "AWS_BEARER_TOKEN_BEDROCK");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigOverrides() {
    }

    private static Map<String, String> envKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("LLM_BASE_URL", "llm.base_url");
        keys.put("LLM_TYPE", "llm.type");
        keys.put("LLM_API_KEY", "llm.api_key");
        keys.put("LOG_LEVEL", "logging.level");
        return keys;
    }

    static void apply(ObjectNode root, Map<String, String> env, Map<String, Object> flags) {
        ENV_KEYS.forEach((variable, path) -> {
            String value = env.get(variable);
            // Compose files often pass unset variables through as empty strings: those mean "not given".
            if (value != null && !value.isBlank()) {
                set(root, path, TextNode.valueOf(value));
            }
        });
        flags.forEach((path, value) -> {
            if (value != null) {
                set(root, path, MAPPER.valueToTree(value));
            }
        });
        JsonNode level = root.path("logging").path("level");
        if (level.isTextual()) {
            ((ObjectNode) root.get("logging")).put("level", level.textValue().toUpperCase(Locale.ROOT));
        }
        if (root.get("llm") instanceof ObjectNode llm) {
            fillFromType(llm, env);
        }
        root.path("providers").forEach(provider -> {
            if (provider instanceof ObjectNode upstream) {
                fillFromType(upstream, env);
            }
        });
    }

    private static void fillFromType(ObjectNode upstream, Map<String, String> env) {
        String type = upstream.path("type").textValue();
        if (type == null) {
            return;
        }
        if (isAbsent(upstream.get("base_url")) && PUBLIC_BASE_URLS.containsKey(type)) {
            upstream.put("base_url", PUBLIC_BASE_URLS.get(type));
        }
        JsonNode region = upstream.get("region");
        if (isAbsent(upstream.get("base_url")) && "bedrock".equals(type) && region != null && region.isTextual()) {
            upstream.put("base_url", "https://bedrock-runtime." + region.textValue() + ".amazonaws.com");
        }
        String fallbackVariable = KEY_FALLBACK_VARIABLES.get(type);
        String fallbackKey = fallbackVariable == null ? null : env.get(fallbackVariable);
        if (isAbsent(upstream.get("api_key")) && fallbackKey != null && !fallbackKey.isBlank()) {
            upstream.put("api_key", fallbackKey);
        }
        if ("bedrock".equals(type) && isAbsent(upstream.get("api_key"))) {
            String accessKey = env.get("AWS_ACCESS_KEY_ID");
            String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
            String sessionToken = env.get("AWS_SESSION_TOKEN");
            if (accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank()) {
                // Bedrock's SigV4 credentials, in the one-string form its wire format reads (see BedrockFormat).
                upstream.put("api_key", accessKey + ":" + secretKey
                        + (sessionToken == null || sessionToken.isBlank() ? "" : ":" + sessionToken));
            }
        }
    }

    /** Missing, null or blank: {@code api_key: ${OPENAI_API_KEY:-}} with the variable unset is no key. */
    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank());
    }

    /** Sets a dotted path, creating (or replacing non-mapping) parents: the override wins whatever was there. */
    private static void set(ObjectNode root, String dottedPath, JsonNode value) {
        String[] keys = dottedPath.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(keys[i]);
        }
        parent.set(keys[keys.length - 1], value);
    }
}
