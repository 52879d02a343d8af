package io.gatehouse.pipeline;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The configured interceptors in order, ending in the upstream sender. Each call gets its own
 * {@link Run}, which remembers which interceptors it entered so that each of them, and only they,
 * hear of the call's end exactly once.
 */
public final class InterceptorChain {
    private static final Logger LOG = LoggerFactory.getLogger(InterceptorChain.class);

    private final Interceptor[] interceptors;
    private final UpstreamSender sender;

    public InterceptorChain(List<Interceptor> interceptors, UpstreamSender sender) {
        this.interceptors = interceptors.toArray(Interceptor[]::new);
        this.sender = sender;
    }

    public List<Interceptor> interceptors() {
        return List.of(interceptors);
    }

    /** Tells every interceptor, in order, that a request's head has arrived; see {@link Interceptor#onRequestHead}. */
    public void onRequestHead(Call call, HttpMethod method, String path, MultiMap headers, Upstream upstream) {
        for (Interceptor interceptor : interceptors) {
            try {
                interceptor.onRequestHead(call, method, path, headers, upstream);
            } catch (RuntimeException e) {
                LOG.warn("Interceptor {} failed in onRequestHead: {}", interceptor.name(), e.toString());
            }
        }
    }

    public Run start(Call call) {
        return new Run(call);
    }

    /** One call's pass through the chain. Not thread-safe: it lives on the call's event loop. */
    public final class Run {
        private final Call call;
        private final boolean[] entered = new boolean[interceptors.length];
        private boolean ended;

        private Run(Call call) {
            this.call = call;
        }

        public Future<ProxyResponse> proceed(ProxyRequest request) {
            return proceedFrom(0, request);
        }

        private Future<ProxyResponse> proceedFrom(int index, ProxyRequest request) {
            if (ended) {
                return Future.failedFuture(new GatewayException(GatewayError.internal("The call has already ended")));
            }
            if (index == interceptors.length) {
                return guard(() -> sender.send(call, request));
            }
            Interceptor interceptor = interceptors[index];
            entered[index] = true;
            Chain chain = new Chain() {
                @Override
                public ProxyRequest request() {
                    return request;
                }

                @Override
                public Call call() {
                    return call;
                }

                @Override
                public Future<ProxyResponse> proceed(ProxyRequest next) {
                    return proceedFrom(index + 1, next);
                }
            };
            return guard(() -> interceptor.intercept(chain));
        }

        /** Tells every interceptor that was entered, innermost first, that the call is over. Idempotent. */
        public void end(CallEnd end) {
            if (ended) {
                return;
            }
            ended = true;
            for (int i = interceptors.length - 1; i >= 0; i--) {
                if (entered[i]) {
                    try {
                        interceptors[i].onCallEnd(end);
                    } catch (RuntimeException e) {
                        LOG.warn("Interceptor {} failed in onCallEnd: {}", interceptors[i].name(), e.toString());
                    }
                }
            }
        }

        private Future<ProxyResponse> guard(java.util.function.Supplier<Future<ProxyResponse>> step) {
            try {
                Future<ProxyResponse> result = step.get();
                return result != null ? result
                        : Future.failedFuture(new GatewayException(GatewayError.internal("An interceptor returned no response")));
            } catch (GatewayException e) {
                // A refusal meant for the client, thrown rather than returned: it keeps its status and message.
                return Future.failedFuture(e);
            } catch (RuntimeException e) {
                LOG.warn("An interceptor failed: {}", e.toString());
                return Future.failedFuture(new GatewayException(GatewayError.internal("A gateway interceptor failed"), e));
            }
        }
    }
}
