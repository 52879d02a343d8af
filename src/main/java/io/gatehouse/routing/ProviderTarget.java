package io.gatehouse.routing;

import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.Translator;

import java.util.Map;
import java.util.Set;

/**
 * One configured provider as the unified API sees it: which client APIs it speaks natively, and the translator from
 * each other API it can serve.
 *
 * @param type        the provider's configured type ({@code openai}, {@code azure}, {@code gemini}…)
 * @param natively    client APIs passed through untranslated (Azure's after its path is rewritten)
 * @param translators for every other API it can serve
 * @param apiVersion  Azure's api-version, or null
 */
record ProviderTarget(String name, String type, Set<InboundApi> natively, Map<InboundApi, Translator> translators,
                      String apiVersion) {

    boolean isAzure() {
        return "azure".equals(type);
    }

    /** Whether it takes OpenAI's request bodies as they are, so embeddings and legacy completions can go to it. */
    boolean speaksOpenAi() {
        return natively.contains(InboundApi.OPENAI_CHAT);
    }
}
