package io.gatehouse.provider.azure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where Azure OpenAI serves what OpenAI serves under {@code /v1}: each model is a deployment with its own URL, and
 * every call names the API version.
 */
public final class AzurePaths {
    private AzurePaths() {
    }

    /**
     * The Azure path for an OpenAI path, or null when Azure has no deployment URL for it (the call is then passed
     * through as it is, for clients that already use Azure's own paths).
     *
     * @param openAiPath {@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/completions}
     * @param deployment the deployment, which is what the client's {@code model} names on Azure
     */
    public static String deploymentPath(String openAiPath, String deployment) {
        String operation = switch (openAiPath) {
            case "/v1/chat/completions" -> "/chat/completions";
            case "/v1/embeddings" -> "/embeddings";
            case "/v1/completions" -> "/completions";
            default -> null;
        };
        if (operation == null || deployment == null || deployment.isBlank()) {
            return null;
        }
        return "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20") + operation;
    }

    /** The Responses API is not per deployment: one path for the resource, the model in the body. */
    public static final String RESPONSES_PATH = "/openai/responses";

    /** The client's query with Azure's {@code api-version} added (replacing one it had). */
    public static String withApiVersion(String query, String apiVersion) {
        String version = "api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
        if (query == null || query.isEmpty()) {
            return version;
        }
        StringBuilder kept = new StringBuilder();
        for (String parameter : query.split("&")) {
            if (!parameter.startsWith("api-version=") && !parameter.isEmpty()) {
                kept.append(parameter).append('&');
            }
        }
        return kept.append(version).toString();
    }
}
