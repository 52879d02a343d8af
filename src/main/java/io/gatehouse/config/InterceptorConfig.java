package io.gatehouse.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One entry of the {@code interceptors:} list; {@code config} is checked by the interceptor's own schema. */
public record InterceptorConfig(String type, Boolean enabled, ObjectNode config) {

    public InterceptorConfig {
        enabled = enabled == null || enabled;
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
    }
}
