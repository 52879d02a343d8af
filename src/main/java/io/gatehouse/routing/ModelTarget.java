package io.gatehouse.routing;

/** A model of a configured provider: what {@code provider:model} names. */
record ModelTarget(String provider, String model) {

    /** The target {@code id} names when its part before the first ':' is one of {@code providers}, else null. */
    static ModelTarget parse(String id, java.util.Set<String> providers) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            return null;
        }
        String provider = id.substring(0, colon);
        return providers.contains(provider) ? new ModelTarget(provider, id.substring(colon + 1)) : null;
    }

    String id() {
        return provider + ":" + model;
    }
}
