package io.gatehouse.routing;

import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.UpstreamSender;
import io.gatehouse.provider.translate.InboundApi;
import io.gatehouse.provider.translate.InboundCodec;
import io.gatehouse.provider.translate.OutboundCodec;
import io.gatehouse.provider.translate.Translator;
import io.vertx.core.Vertx;

import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The unified API of one gateway: its routing interceptor, and the translation below the end of its chain. */
public final class Routing {
    private final ModelCatalog catalog;
    private final Map<String, ProviderTarget> targets;

    private Routing(ModelCatalog catalog, Map<String, ProviderTarget> targets) {
        this.catalog = catalog;
        this.targets = targets;
    }

    public static Routing of(GatehouseConfig config, InstantSource clock) {
        Map<InboundApi, InboundCodec> inbound = Codecs.inbound(clock);
        Map<String, ProviderTarget> targets = new HashMap<>();
        for (ProviderConfig provider : ConfigView.providers(config)) {
            Set<InboundApi> natively = Codecs.nativeApis(provider.type());
            OutboundCodec outbound = Codecs.outbound(provider);
            Map<InboundApi, Translator> translators = new EnumMap<>(InboundApi.class);
            inbound.forEach((api, codec) -> {
                if (!natively.contains(api)) {
                    translators.put(api, new Translator(codec, outbound));
                }
            });
            targets.put(provider.name(), new ProviderTarget(provider.name(), provider.type(), natively, translators,
                    provider.apiVersion()));
        }
        return new Routing(ModelCatalog.of(config), Map.copyOf(targets));
    }

    /** The interceptor that routes each call by its model; it goes first, before request controls and authentication. */
    public Interceptor routingInterceptor(Map<String, Upstream> upstreams) {
        return new ModelRouting(catalog, upstreams);
    }

    /** The interceptor that answers {@code GET /v1/models}, after authentication; empty when no models are listed. */
    public Optional<Interceptor> listingInterceptor() {
        return catalog.listsModels() ? Optional.of(new ModelListing(catalog)) : Optional.empty();
    }

    /** Translates what {@code delegate} sends and receives, for one event loop; retries and fallbacks go around it. */
    public UpstreamSender sender(Vertx vertx, UpstreamSender delegate) {
        return new TranslatingSender(vertx, delegate, targets);
    }
}
