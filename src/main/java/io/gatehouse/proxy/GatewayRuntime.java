package io.gatehouse.proxy;

import io.gatehouse.routing.Routing;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.events.EventBus;
import io.gatehouse.manage.ManagementApi;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.resilience.Resilience;
import io.gatehouse.session.SessionTracker;

import java.util.List;

/**
 * What every event loop of one gateway shares: config, routes, interceptors, metrics, the session tracker, the event bus,
 * the management API, the providers' retry, breaker and bulkhead state, and the deadlines of calls in flight.
 * All immutable or thread-safe.
 */
record GatewayRuntime(
        GatehouseConfig config,
        ProviderRouter router,
        List<Interceptor> interceptors,
        ProxyMetrics metrics,
        SessionTracker sessions,
        EventBus events,
        ManagementApi management,
        Resilience resilience,
        Routing routing,
        CallDeadlines deadlines) {

    long maxBodyBytes() {
        return config.server().maxBodyBytes();
    }
}
