package io.gatehouse.proxy;

import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.events.EventsInterceptor;
import io.gatehouse.events.PrinterInterceptor;
import io.gatehouse.events.SessionTraces;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.recording.EventRecorder;
import io.gatehouse.recording.HttpRecorder;
import io.gatehouse.recording.MessageLogger;
import io.gatehouse.recording.Recorders;
import io.gatehouse.recording.TraceRecorder;
import io.gatehouse.session.SessionConfig;
import io.gatehouse.session.SessionInterceptor;
import io.gatehouse.session.SessionTracker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The interceptor types that {@code interceptors:} entries may name, and how each is built from its config. */
public final class InterceptorRegistry {
    /**
     * What the gateway's interceptors share: its one session tracker, the session traces events go through, and the
     * recorders, which the gateway closes when it stops.
     */
    record Shared(SessionTracker sessions, SessionTraces traces, Recorders recorders, boolean printerListed) {
        Shared(SessionTracker sessions, SessionTraces traces, Recorders recorders) {
            this(sessions, traces, recorders, false);
        }
    }

    private static final String PRINTER = "printer";

    /**
     * Builds one entry's interceptor from its settings; null for a type that works off the event bus and takes no
     * place in the chain.
     */
    @FunctionalInterface
    private interface Factory {
        Interceptor create(ObjectNode settings, Shared shared);
    }

    private static final Map<String, Factory> FACTORIES = Map.of(
            PRINTER, (settings, shared) -> PrinterInterceptor.fromConfig(settings),
            SessionInterceptor.TYPE, (settings, shared) -> new SessionInterceptor(shared.sessions()),
            EventsInterceptor.TYPE, (settings, shared) -> events(shared),
            MessageLogger.TYPE, (settings, shared) -> shared.recorders().messageLogger(settings),
            HttpRecorder.TYPE, (settings, shared) -> shared.recorders().httpRecorder(settings),
            TraceRecorder.TYPE, (settings, shared) -> shared.recorders().trace(settings),
            EventRecorder.TYPE, (settings, shared) -> {
                shared.recorders().eventRecorder(settings);
                return null;
            });

    private InterceptorRegistry() {
    }

    public static Set<String> types() {
        return FACTORIES.keySet();
    }

    /**
     * Builds the enabled interceptors in config order. With {@code session.enabled} the session interceptor
     * comes first, so every later interceptor finds the call's session, unless the list names it explicitly,
     * which places it there instead; the events interceptor follows it at once, as it needs the session and
     * every later interceptor should see calls it has already counted, unless the list names it too. Types were
     * checked when the config was validated.
     */
    static List<Interceptor> create(List<InterceptorConfig> configs, SessionConfig sessionConfig, Shared given) {
        Shared shared = new Shared(given.sessions(), given.traces(), given.recorders(), isListed(configs, PRINTER));
        boolean sessionListed = isListed(configs, SessionInterceptor.TYPE);
        boolean eventsAutomatic = sessionConfig.enabled() && !isListed(configs, EventsInterceptor.TYPE);
        List<Interceptor> interceptors = new ArrayList<>();
        if (sessionConfig.enabled() && !sessionListed) {
            interceptors.add(new SessionInterceptor(shared.sessions()));
            if (eventsAutomatic) {
                interceptors.add(events(shared));
            }
        }
        for (InterceptorConfig config : configs) {
            if (!config.enabled()) {
                continue;
            }
            Factory factory = FACTORIES.get(config.type());
            if (factory == null) {
                throw new IllegalArgumentException("unknown interceptor type \"" + config.type() + "\" (known: " + types() + ")");
            }
            Interceptor interceptor = factory.create(config.config(), shared);
            if (interceptor != null) {
                interceptors.add(interceptor);
            }
            if (eventsAutomatic && sessionListed && config.type().equals(SessionInterceptor.TYPE)) {
                interceptors.add(events(shared));
            }
        }
        return interceptors;
    }

    /** The printer reads each call's events, so with one in the chain they are built whether or not the bus has subscribers. */
    private static EventsInterceptor events(Shared shared) {
        return new EventsInterceptor(shared.sessions(), shared.traces(), shared.printerListed());
    }

    private static boolean isListed(List<InterceptorConfig> configs, String type) {
        return configs.stream().anyMatch(config -> config.enabled() && config.type().equals(type));
    }
}
