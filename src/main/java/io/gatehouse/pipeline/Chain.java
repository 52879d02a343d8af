package io.gatehouse.pipeline;

import io.vertx.core.Future;

/** What an interceptor sees of the rest of the path: the request so far and the way onwards. */
public interface Chain {

    ProxyRequest request();

    /** The call this request belongs to: its id, start time and attributes shared by interceptors. */
    Call call();

    /** Hands the (possibly rewritten) request to the next interceptor, or upstream after the last one. */
    Future<ProxyResponse> proceed(ProxyRequest request);
}
