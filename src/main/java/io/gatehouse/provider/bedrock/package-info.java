/**
 * AWS Bedrock as a translation target, through its Converse API.
 *
 * <p>{@link io.gatehouse.provider.bedrock.BedrockOutboundCodec} writes unified requests as Converse requests and
 * reads Converse answers: plain JSON, or ConverseStream's AWS event-stream frames, which
 * {@link io.gatehouse.provider.bedrock.EventStreamFramer} cuts from the chunks as they arrive.
 * {@link io.gatehouse.provider.bedrock.BedrockFormat} is Bedrock's wire format: bearer API keys, SigV4 signing of
 * the final request by {@link io.gatehouse.provider.bedrock.SigV4Signer} (the AWS SDK's signer), errors as
 * {@code {"message"}} bodies and event-stream exception frames. Everything here is pure: the signing time is an
 * argument, and nothing does I/O.
 */
package io.gatehouse.provider.bedrock;
