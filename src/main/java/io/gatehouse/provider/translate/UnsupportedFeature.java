package io.gatehouse.provider.translate;

import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;

/** A request uses something the target provider cannot do: the client gets a 400 naming it, nothing is dropped. */
public final class UnsupportedFeature {
    public static final String CODE = "unsupported_feature";

    private UnsupportedFeature() {
    }

    /** The exception to throw, e.g. {@code throw UnsupportedFeature.refuse("Gemini does not support n > 1")}. */
    public static GatewayException refuse(String message) {
        return new GatewayException(new GatewayError(ErrorKind.INVALID_REQUEST, message, CODE));
    }
}
