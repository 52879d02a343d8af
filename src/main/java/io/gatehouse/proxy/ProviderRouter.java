package io.gatehouse.proxy;

import io.gatehouse.pipeline.Upstream;
import io.gatehouse.pipeline.WireFormat;
import io.gatehouse.provider.ClientApis;
import io.vertx.core.MultiMap;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the upstream for a path: {@code /{provider}/rest} goes to that provider, anything else to the default.
 * An {@code /agent-workflow/{id}} prefix in front of either names the agent workflow the call belongs to and is
 * removed before routing, as the seed does.
 */
final class ProviderRouter {
    private final Map<String, Upstream> byName;
    private final Upstream defaultUpstream;

    ProviderRouter(List<Upstream> upstreams, String defaultName) {
        this.byName = upstreams.stream().collect(Collectors.toUnmodifiableMap(Upstream::name, Function.identity()));
        this.defaultUpstream = byName.get(defaultName);
        if (defaultUpstream == null) {
            throw new IllegalArgumentException("default provider '" + defaultName + "' is not configured");
        }
    }

    private static final String WORKFLOW_PREFIX = "/agent-workflow/";

    /**
     * The upstream and the path to forward to it (workflow and provider prefixes removed).
     *
     * @param workflowId the id of an {@code /agent-workflow/{id}} prefix, or null
     */
    record Match(Upstream upstream, String path, String workflowId) {
        /** The API the client speaks on this path with these request headers: see {@link ClientApis}. */
        WireFormat clientFormat(MultiMap headers) {
            return ClientApis.formatOf(path, headers, upstream.format());
        }
    }

    Match match(String path) {
        if (path.startsWith(WORKFLOW_PREFIX)) {
            int idEnd = path.indexOf('/', WORKFLOW_PREFIX.length());
            String workflowId = idEnd < 0 ? path.substring(WORKFLOW_PREFIX.length())
                    : path.substring(WORKFLOW_PREFIX.length(), idEnd);
            if (!workflowId.isEmpty()) {
                return matchProvider(idEnd < 0 ? "/" : path.substring(idEnd), workflowId);
            }
        }
        return matchProvider(path, null);
    }

    private Match matchProvider(String path, String workflowId) {
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        Upstream named = byName.get(first);
        if (named == null) {
            return new Match(defaultUpstream, path, workflowId);
        }
        return new Match(named, end < 0 ? "/" : path.substring(end), workflowId);
    }

    /** Every routed upstream by provider name. */
    Map<String, Upstream> byName() {
        return byName;
    }

    Upstream defaultUpstream() {
        return defaultUpstream;
    }
}
