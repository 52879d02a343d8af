package io.gatehouse.provider.translate;

import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/** A request uses something the target provider cannot do; the client gets a 400 naming it, nothing is dropped. */
public final class UnsupportedFeatureException extends GatewayException {
    public UnsupportedFeatureException(String message) {
        super(new GatewayError(io.gatehouse.pipeline.ErrorKind.INVALID_REQUEST, message, "unsupported_feature"));
    }
}
