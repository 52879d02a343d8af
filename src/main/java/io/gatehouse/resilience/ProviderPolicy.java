package io.gatehouse.resilience;

import io.gatehouse.config.FallbackConfig;
import io.gatehouse.pipeline.Upstream;

import java.util.List;
import java.util.Set;

/**
 * Everything that decides where one provider's calls go and what happens when they fail. Immutable; the
 * deployments, breakers and bulkhead it holds are thread-safe.
 *
 * @param routed     the upstream the provider's name routes to, as configured
 * @param bulkhead   null when the provider has no cap on calls in flight
 * @param fallbacks  providers to pass a failed call on to, in order
 * @param fallbackOn statuses that pass the call on
 */
record ProviderPolicy(String name, Upstream routed, RetryPolicy retry, List<Deployment> deployments, Balancer balancer,
                      Bulkhead bulkhead, List<FallbackConfig> fallbacks, Set<Integer> fallbackOn) {
}
