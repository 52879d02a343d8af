package io.gatehouse.pipeline;

import io.vertx.core.Future;

/** The end of the chain: sends the request upstream and yields the response once its headers arrive. */
@FunctionalInterface
public interface UpstreamSender {
    Future<ProxyResponse> send(Call call, ProxyRequest request);
}
