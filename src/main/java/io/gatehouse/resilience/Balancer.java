package io.gatehouse.resilience;

import io.gatehouse.config.ProviderConfig;

import java.util.List;
import java.util.random.RandomGenerator;

/** Picks the deployment for the next attempt among those not yet ruled out for this call. */
enum Balancer {
    /** At random, in proportion to the weights. */
    WEIGHTED {
        @Override
        Deployment pick(List<Deployment> candidates, RandomGenerator random) {
            int total = 0;
            for (Deployment candidate : candidates) {
                total += candidate.weight();
            }
            int ticket = random.nextInt(total);
            for (Deployment candidate : candidates) {
                ticket -= candidate.weight();
                if (ticket < 0) {
                    return candidate;
                }
            }
            return candidates.getLast();
        }
    },
    /**
     * Power of two choices: the less loaded of two picked at random. Close to always picking the best, without
     * every gateway thread piling onto the same deployment the moment it looks fastest.
     */
    LEAST_LATENCY {
        @Override
        Deployment pick(List<Deployment> candidates, RandomGenerator random) {
            if (candidates.size() == 1) {
                return candidates.getFirst();
            }
            int first = random.nextInt(candidates.size());
            int second = random.nextInt(candidates.size() - 1);
            if (second >= first) {
                second++;
            }
            Deployment a = candidates.get(first);
            Deployment b = candidates.get(second);
            return b.load() < a.load() ? b : a;
        }
    };

    /** @param candidates not empty */
    abstract Deployment pick(List<Deployment> candidates, RandomGenerator random);

    static Balancer named(String configName) {
        return ProviderConfig.LEAST_LATENCY.equals(configName) ? LEAST_LATENCY : WEIGHTED;
    }
}
