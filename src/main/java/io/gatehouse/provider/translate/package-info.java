/**
 * Translation between provider APIs, through one unified shape of a chat call.
 *
 * <p>A client's request in its API ({@link io.gatehouse.provider.translate.InboundApi}) is decoded by that API's
 * {@link io.gatehouse.provider.translate.InboundCodec} into a {@link io.gatehouse.provider.translate.UnifiedRequest},
 * which the target provider's {@link io.gatehouse.provider.translate.OutboundCodec} encodes into its own request; its
 * answer, plain or streamed, comes back the other way. A {@link io.gatehouse.provider.translate.Translator} is one
 * inbound × outbound pair of them. Every function here is pure: no I/O, no clock, no shared state, so each pair is
 * tested against golden transcripts. Calls whose API the upstream speaks natively are never translated.
 */
package io.gatehouse.provider.translate;
