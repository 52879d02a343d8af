package io.gatehouse.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.List;

/**
 * One inbound × outbound pair: a client API translated for one provider and its answers translated back. Pure: the
 * same inputs give the same bytes, which is what the golden transcripts of each pair check.
 */
public final class Translator {
    private final InboundCodec inbound;
    private final OutboundCodec outbound;

    public Translator(InboundCodec inbound, OutboundCodec outbound) {
        this.inbound = inbound;
        this.outbound = outbound;
    }

    public InboundApi api() {
        return inbound.api();
    }

    public InboundCodec inbound() {
        return inbound;
    }

    public OutboundCodec outbound() {
        return outbound;
    }

    /** The client's request read and written for the provider; {@code model} is the provider's name for the model. */
    public Translation request(JsonNode clientBody, String model) {
        UnifiedRequest unified = inbound.decodeRequest(clientBody);
        if (model != null) {
            unified = unified.withModel(model);
        }
        return new Translation(unified, outbound.encodeRequest(unified));
    }

    /** A whole successful response body of the provider's, as the client's API answers. */
    public Buffer response(Translation translation, Buffer upstreamBody) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(upstreamBody.getBytes());
        } catch (IOException e) {
            throw new GatewayException(new GatewayError(ErrorKind.UPSTREAM_BROKEN, "The " + outbound.type()
                    + " upstream answered with a body that is not JSON", "upstream_invalid_response"));
        }
        UnifiedResponse response = outbound.decodeResponse(body);
        return Buffer.buffer(Json.write(inbound.encodeResponse(response, translation.unified())));
    }

    /** An error response of the provider's, as the client's API reports errors, with the provider's status. */
    public GatewayError error(int status, MultiMap upstreamHeaders, Buffer upstreamBody) {
        return outbound.decodeError(status, upstreamHeaders, upstreamBody);
    }

    /** A translator for one streamed answer, fed the provider's bytes as they come. */
    public StreamTranslation stream(Translation translation, MultiMap upstreamHeaders) {
        return new StreamTranslation(outbound.streamDecoder(upstreamHeaders),
                inbound.streamEncoder(translation.unified()));
    }

    /** One call's request on both sides of the translation. */
    public record Translation(UnifiedRequest unified, EncodedRequest upstream) {
    }

    /** The state of one streamed answer: provider bytes in, client SSE bytes out. */
    public static final class StreamTranslation {
        private final StreamDecoder decoder;
        private final StreamEncoder encoder;
        private boolean failed;

        StreamTranslation(StreamDecoder decoder, StreamEncoder encoder) {
            this.decoder = decoder;
            this.encoder = encoder;
        }

        /** The client's bytes for this chunk of the provider's (possibly empty). */
        public Buffer chunk(Buffer upstreamChunk) {
            return failed ? Buffer.buffer(0) : encode(decoder.decode(upstreamChunk));
        }

        /** The client's last bytes once the provider's body has ended. */
        public Buffer finish() {
            return failed ? Buffer.buffer(0) : encode(decoder.finish());
        }

        private Buffer encode(List<StreamEvent> events) {
            // Most chunks carry one event that gives one frame: it goes out as the encoder wrote it, not copied.
            Buffer first = null;
            Buffer joined = null;
            for (StreamEvent event : events) {
                Buffer frame = encoder.encode(event);
                if (frame.length() > 0) {
                    if (first == null) {
                        first = frame;
                    } else {
                        if (joined == null) {
                            joined = Buffer.buffer(first.length() + frame.length() + 256).appendBuffer(first);
                        }
                        joined.appendBuffer(frame);
                    }
                }
                if (event instanceof StreamEvent.Error) {
                    // An error ends the client's stream: nothing the provider sends after it is translated.
                    failed = true;
                    break;
                }
            }
            return joined != null ? joined : first != null ? first : Buffer.buffer(0);
        }
    }
}
