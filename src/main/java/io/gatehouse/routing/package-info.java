/**
 * The unified API: which provider and model a call goes to ({@code provider:model} ids and the {@code models:}
 * aliases), what {@code /v1/models} lists, and the translation of calls whose API the chosen provider does not speak
 * (codecs in {@code io.gatehouse.provider.translate} and the provider folders). Interceptors see every call in the
 * client's API: routing runs early in the chain, translation below its end, under retries and fallbacks, so each
 * attempt is translated for the provider it goes to.
 */
package io.gatehouse.routing;
