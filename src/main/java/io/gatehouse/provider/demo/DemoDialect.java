package io.gatehouse.provider.demo;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** What differs between the providers beyond their endpoints: credentials, headers and error shape. */
interface DemoDialect {

    /** True when no key is required or the request carries exactly the required one. */
    boolean hasKey(HttpServerRequest request, String requiredKey);

    /** Adds the headers the real provider puts on every response. */
    void addResponseHeaders(HttpServerResponse response, long processingMs);

    /** Answers with an error in the provider's shape; {@code message} null means the provider's usual wording. */
    void fail(HttpServerRequest request, DemoFailure failure, String message, String param);

    /** Compares keys in constant time, so response timing does not reveal how much of a guess was right. */
    static boolean sameKey(String presented, String required) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                required.getBytes(StandardCharsets.UTF_8));
    }
}
