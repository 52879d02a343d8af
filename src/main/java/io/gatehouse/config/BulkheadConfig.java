package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A provider's {@code bulkhead} block.
 *
 * @param maxConcurrent calls the provider may have in flight at once, a stream counting until it ends
 */
public record BulkheadConfig(@JsonProperty("max_concurrent") int maxConcurrent) {
}
