package io.gatehouse.proxy;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.events.EventBus;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.session.SessionTracker;

import java.util.List;

/**
 * What every event loop of one gateway shares: config, routes, interceptors, metrics, the session tracker and the event bus.
 * All immutable or thread-safe.
 */
record GatewayRuntime(
        GatehouseConfig config,
        ProviderRouter router,
        List<Interceptor> interceptors,
        ProxyMetrics metrics,
        SessionTracker sessions,
        EventBus events) {

    long maxBodyBytes() {
        return config.server().maxBodyBytes();
    }
}
