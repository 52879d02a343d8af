package io.gatehouse.proxy;

import io.gatehouse.auth.Tenancy;
import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.cost.CostInterceptor;
import io.gatehouse.events.EventBus;
import io.gatehouse.events.SessionTraces;
import io.gatehouse.feature.FeatureCatalog;
import io.gatehouse.feature.FeatureInterceptor;
import io.gatehouse.routing.Routing;
import io.gatehouse.limit.CostSpendMeter;
import io.gatehouse.limit.LimitsInterceptor;
import io.gatehouse.limit.SpendMeter;
import io.gatehouse.limit.UsageSpendMeter;
import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.manage.ManagementApi;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.policy.RequestControlsInterceptor;
import io.gatehouse.provider.WireFormats;
import io.gatehouse.recording.Recorders;
import io.gatehouse.resilience.Resilience;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionTracker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running gateway: its server instances, one per event loop, and what they share. */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Time allowed for starting, and for stopping beyond the grace period. */
    private static final long STOP_MARGIN_SECONDS = 60;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final String deploymentId;
    private final int port;
    private final GatewayRuntime runtime;
    /** The periodic session expiry, or -1 when no session interceptor runs. */
    private final long expiryTimer;
    private final Recorders recorders;
    /** Projects, keys and the audit log; null when neither virtual keys nor the management API is on. */
    private final Tenancy tenancy;
    /** The rate limits and budgets, whose backend connection closes with the gateway; null without constraints. */
    private final LimitsInterceptor limits;

    private Gateway(Vertx vertx, boolean ownsVertx, String deploymentId, int port, GatewayRuntime runtime,
                    long expiryTimer, Recorders recorders, Tenancy tenancy, LimitsInterceptor limits) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.deploymentId = deploymentId;
        this.port = port;
        this.runtime = runtime;
        this.expiryTimer = expiryTimer;
        this.recorders = recorders;
        this.tenancy = tenancy;
        this.limits = limits;
    }

    /** Starts a gateway on its own Vert.x instance; blocks until it listens. */
    public static Gateway start(GatehouseConfig config) {
        return builder(config).start();
    }

    public static Builder builder(GatehouseConfig config) {
        return new Builder(config);
    }

    public int port() {
        return port;
    }

    public ProxyMetrics metrics() {
        return runtime.metrics();
    }

    public Vertx vertx() {
        return vertx;
    }

    public SessionTracker sessions() {
        return runtime.sessions();
    }

    /** Every event the gateway emits; recorders and tests subscribe here. */
    public EventBus events() {
        return runtime.events();
    }

    /**
     * Stops gracefully: no new connections; calls in flight get {@code server.shutdown_grace_seconds} to finish (those
     * still running then are cut and recorded as aborted); then Vert.x is released when the gateway owns it, and only
     * then are the recorders drained, flushed and closed, so every record of every call is on disk when this returns.
     */
    @Override
    public void close() {
        double grace = runtime.config().server().shutdownGraceSeconds();
        LOG.info("Stopping: no new connections; calls in flight have up to {} s to finish", grace);
        long timeoutSeconds = (long) Math.ceil(grace) + STOP_MARGIN_SECONDS;
        try {
            if (expiryTimer >= 0) {
                vertx.cancelTimer(expiryTimer);
            }
            try {
                await(vertx.undeploy(deploymentId), "stop (undeploy)", timeoutSeconds);
            } finally {
                // After the calls in flight ended, while Vert.x still runs: their settlements go out.
                if (limits != null) {
                    limits.close();
                }
            }
            if (tenancy != null) {
                tenancy.close(); // Waits for queued audit entries; needs Vert.x's workers, so before closing it.
            }
            if (ownsVertx) {
                await(vertx.close(), "stop (vertx)", STOP_MARGIN_SECONDS);
            }
        } finally {
            runtime.deadlines().close();
            recorders.close();
        }
    }

    public static final class Builder {
        private final GatehouseConfig config;
        private final List<Interceptor> extraInterceptors = new ArrayList<>();
        private Vertx vertx;
        private Secret managementToken;
        private Clock clock = Clock.systemUTC();

        private Builder(GatehouseConfig config) {
            this.config = config;
        }

        /** Runs on this Vert.x instead of a new one; the caller keeps ownership of it. */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        /** The wall clock that calendar windows of limits and budgets follow (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Adds an interceptor after the configured ones (embedding, tests). */
        public Builder addInterceptor(Interceptor interceptor) {
            extraInterceptors.add(interceptor);
            return this;
        }

        /** Enables the management API under /manage with this bearer token; null leaves it disabled. */
        public Builder managementToken(Secret token) {
            if (token != null) {
                SecretRedactor.register(token.reveal());
            }
            this.managementToken = token;
            return this;
        }

        public Gateway start() {
            int workers = config.server().workers();
            EventBus events = new EventBus();
            SessionTraces traces = new SessionTraces(events);
            SessionTracker sessions = new SessionTracker(config.session(), traces, System::nanoTime);
            ProxyMetrics metrics = new ProxyMetrics();
            metrics.registerSessions(sessions);
            ProviderRouter router = router(config);
            Recorders recorders = new Recorders(metrics.registry(), events, ConfigView.defaultProviderName(config));
            boolean owns = vertx == null;
            Vertx v = null;
            Tenancy tenancy = null;
            LimitsInterceptor limits = null;
            CallDeadlines deadlines = null;
            try {
                v = owns ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(workers).setPreferNativeTransport(true)) : vertx;
                tenancy = openTenancy(v, config, managementToken);
                List<Interceptor> interceptors = new ArrayList<>();
                // First, the provider and model the call goes to: everything after it, request controls and the
                // project's key included, is about that provider. It reads the body and nothing else.
                Routing routing = Routing.of(config, clock);
                interceptors.add(routing.routingInterceptor(router.byName()));
                // Ahead of every other interceptor, authentication included: a refused request costs nothing more.
                RequestControlsInterceptor.forProviders(ConfigView.providers(config)).ifPresent(interceptors::add);
                if (config.auth().parsedMode() == AuthConfig.Mode.VIRTUAL_KEYS) {
                    // Next: a call without a valid key must not start a session or reach any other interceptor.
                    interceptors.add(tenancy.interceptor());
                    if (managementToken == null) {
                        LOG.warn("auth.mode is virtual_keys but MANAGEMENT_TOKEN is not set: keys cannot be created or"
                                + " revoked through /manage until the gateway is restarted with it");
                    }
                }
                routing.listingInterceptor().ifPresent(interceptors::add);
                // The feature follows authentication (a key's metadata may name it) and precedes limits and cost,
                // which count the call under the feature it selected.
                FeatureCatalog features = FeatureCatalog.of(config.features());
                if (!features.isEmpty()) {
                    interceptors.add(new FeatureInterceptor(features, router.byName()));
                }
                // Limits need the caller's identity, so they follow authentication, and come before sessions: a
                // refused call goes nowhere else.
                Optional<CostInterceptor> cost = CostInterceptor.forConfig(config.cost(), metrics.registry());
                if (!config.limits().constraints().isEmpty() || !features.budgetConstraints().isEmpty()) {
                    UsageSpendMeter usage = UsageSpendMeter.from(config.limits());
                    // With cost accounting on, budgets spend what the price table says a call cost.
                    SpendMeter spend = cost.<SpendMeter>map(c -> new CostSpendMeter(c.estimator(), usage)).orElse(usage);
                    limits = LimitsInterceptor.create(config.limits(), features.budgetConstraints(), config.redis().url(), spend, clock,
                            metrics.registry(), v);
                    interceptors.add(limits);
                }
                interceptors.addAll(InterceptorRegistry.create(config.interceptors(),
                        config.session(), new InterceptorRegistry.Shared(sessions, traces, recorders)));
                interceptors.addAll(extraInterceptors);
                // Last, in front of the upstream: it meters what was sent and received, and ends first (see CostInterceptor).
                cost.ifPresent(interceptors::add);
                if (tenancy != null) {
                    metrics.registerAuditShed(tenancy.audit());
                }
                Resilience resilience = Resilience.of(ConfigView.providers(config), router.byName(), metrics.registry());
                deadlines = new CallDeadlines();
                GatewayRuntime runtime = new GatewayRuntime(config, router, List.copyOf(interceptors), metrics, sessions,
                        events, new ManagementApi(managementToken, tenancy), resilience, routing, deadlines);
                // Instances share one listening port; an ephemeral one must be chosen up front for them all.
                int port = config.server().port() == 0 && workers > 1 ? freePort() : config.server().port();
                List<GatewayVerticle> instances = new ArrayList<>();
                String id = await(v.deployVerticle(() -> {
                    GatewayVerticle verticle = new GatewayVerticle(runtime, port);
                    synchronized (instances) {
                        instances.add(verticle);
                    }
                    return verticle;
                }, new DeploymentOptions().setInstances(workers)), "start", STOP_MARGIN_SECONDS);
                int actual = instances.get(0).actualPort();
                LOG.info("Gatehouse listening on http://{}:{} ({} event loops, {} transport)", config.server().host(), actual,
                        workers, v.isNativeTransportEnabled() ? "epoll" : "NIO");
                return new Gateway(v, owns, id, actual, runtime, startExpiry(v, interceptors, config, sessions), recorders,
                        tenancy, limits);
            } catch (RuntimeException e) {
                if (limits != null) {
                    limits.close();
                }
                if (tenancy != null) {
                    tenancy.close();
                }
                if (owns && v != null) {
                    v.close();
                }
                if (deadlines != null) {
                    deadlines.close();
                }
                recorders.close();
                throw e;
            }
        }
    }

    /**
     * Ends idle sessions every {@code min(60 s, ttl/4)}, so they end (and {@code session.end} goes out) while no
     * traffic comes in; requests only expire sessions on the way. Not needed when no session interceptor runs.
     */
    private static long startExpiry(Vertx vertx, List<Interceptor> interceptors, GatehouseConfig config,
                                    SessionTracker sessions) {
        if (interceptors.stream().noneMatch(SessionInterceptor.class::isInstance)) {
            return -1;
        }
        long periodMillis = Math.max(1, Math.min(60_000, config.session().sessionTtlSeconds() * 1000 / 4));
        return vertx.setPeriodic(periodMillis, id -> sessions.expireIdleSessions());
    }

    /** The store is opened (blocking, before listening) only when virtual keys or the management API need it. */
    private static Tenancy openTenancy(Vertx vertx, GatehouseConfig config, Secret managementToken) {
        if (config.auth().parsedMode() != AuthConfig.Mode.VIRTUAL_KEYS && managementToken == null) {
            return null;
        }
        return Tenancy.open(vertx, config, System.getenv());
    }

    private static ProviderRouter router(GatehouseConfig config) {
        List<Upstream> upstreams = new ArrayList<>();
        for (ProviderConfig provider : ConfigView.providers(config)) {
            if (provider.apiKey() != null) {
                // Also for configs built in code, which never pass through the loader that registers keys.
                SecretRedactor.register(provider.apiKey());
            }
            upstreams.add(Upstream.of(provider.name(), WireFormats.of(provider.type(), provider.region()),
                    URI.create(provider.baseUrl()), Secret.ofNullable(provider.apiKey()), seconds(provider.connectTimeout()),
                    seconds(provider.timeout()), seconds(provider.idleTimeout()), provider.maxRetries(), provider.http2(),
                    Upstream.trusting(provider.caFile())));
        }
        return new ProviderRouter(upstreams, ConfigView.defaultProviderName(config));
    }

    private static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T await(Future<T> future, String what, long timeoutSeconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Gateway failed to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the gateway to " + what, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out waiting for the gateway to " + what, e);
        }
    }
}
