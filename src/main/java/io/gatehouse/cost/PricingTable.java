package io.gatehouse.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model prices: the table bundled with the gateway ({@code pricing.json} next to this class, read at start, never
 * fetched), with the entries of an optional {@code pricing_file} replacing or adding to it.
 *
 * <p>Keys are model names ({@code gpt-4o}) or {@code provider:model} for one configured provider only
 * ({@code azure:my-gpt4o-deployment}, {@code local:llama-3.1-70b}); the provider-specific entry wins. A dated snapshot
 * is priced as its model: {@code gpt-4o-2024-08-06}, {@code claude-sonnet-4-5-20250929}, {@code gemini-2.0-flash-001}
 * and {@code claude-3-7-sonnet-latest} lose their date, version or {@code -latest} suffix when the full name has no
 * entry of its own. Nothing else is guessed: {@code gpt-5-pro} is not {@code gpt-5} (it costs twelve times as much),
 * so a model without an entry has no price, never a made-up default.
 *
 * <p>Immutable and thread-safe.
 */
public final class PricingTable {
    static final String BUNDLED_RESOURCE = "pricing.json";
    /** YAML reads JSON too; decimals stay exact. */
    private static final ObjectMapper READER = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    /** Trailing snapshot markers: -2024-08-06, -20241022, -0613, -001, -latest (one or more). */
    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("^(.+?)((?:-(?:\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{3,4}|latest))+)$");
    private static final Set<String> FILE_FIELDS = Set.of("models", "as_of", "sources");
    private static final Set<String> PRICE_FIELDS = Set.of("input", "cached_input", "cache_write", "cache_write_1h",
            "output", "long_context");

    /** A model's price and the table entry it came from. */
    public record PricedModel(String entry, ModelPrice price) {
    }

    private final Map<String, ModelPrice> prices;
    /** Bounded: model names come from clients, and a client may send any number of them. */
    private final Cache<Lookup, Optional<PricedModel>> lookups = Caffeine.newBuilder().maximumSize(4_096).build();

    private PricingTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The bundled table alone. */
    public static PricingTable bundled() {
        try (InputStream in = PricingTable.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The bundled price table " + BUNDLED_RESOURCE + " is missing from the build");
            }
            Map<String, ModelPrice> prices = new HashMap<>();
            parseInto(READER.readTree(in), prices);
            return new PricingTable(prices);
        } catch (IOException e) {
            throw new IllegalStateException("The bundled price table cannot be read", e);
        }
    }

    /**
     * The bundled table with the entries of {@code pricingFile} (JSON or YAML, shaped like the bundled one) replacing
     * or adding to it; the bundled table alone when it is null.
     *
     * @throws PricingException naming the file and the entry at fault
     */
    public static PricingTable load(Path pricingFile) {
        PricingTable bundled = bundled();
        if (pricingFile == null) {
            return bundled;
        }
        JsonNode tree;
        try {
            tree = READER.readTree(Files.readAllBytes(pricingFile));
        } catch (IOException e) {
            throw new PricingException(pricingFile + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, ModelPrice> prices = new HashMap<>(bundled.prices);
        try {
            parseInto(tree, prices);
        } catch (PricingException e) {
            throw new PricingException(pricingFile + ": " + e.getMessage());
        }
        return new PricingTable(prices);
    }

    /** The price of {@code model} served by the provider named {@code provider}, if the table has one. */
    public Optional<PricedModel> find(String provider, String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        // Every call looks its model up; the answer for a name never changes, and the names in use are few.
        return lookups.get(new Lookup(provider, model), lookup -> lookUp(lookup.provider(), lookup.model()));
    }

    private record Lookup(String provider, String model) {
    }

    private Optional<PricedModel> lookUp(String provider, String model) {
        String name = model.toLowerCase(Locale.ROOT);
        if (name.startsWith("models/")) {
            name = name.substring("models/".length()); // Gemini's resource names
        }
        String base = snapshotBase(name);
        for (String candidate : provider == null ? new String[]{name, base} : new String[]{
                provider.toLowerCase(Locale.ROOT) + ":" + name, base == null ? null : provider.toLowerCase(Locale.ROOT) + ":" + base,
                name, base}) {
            if (candidate != null && prices.containsKey(candidate)) {
                return Optional.of(new PricedModel(candidate, prices.get(candidate)));
            }
        }
        return Optional.empty();
    }

    public int size() {
        return prices.size();
    }

    private static String snapshotBase(String name) {
        Matcher matcher = SNAPSHOT_SUFFIX.matcher(name);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static void parseInto(JsonNode tree, Map<String, ModelPrice> prices) {
        if (tree == null || !tree.isObject()) {
            throw new PricingException("the top level must be a mapping with a models: entry");
        }
        tree.fieldNames().forEachRemaining(field -> {
            if (!FILE_FIELDS.contains(field)) {
                throw new PricingException(field + ": unknown key (allowed: " + String.join(", ", FILE_FIELDS.stream().sorted().toList()) + ")");
            }
        });
        JsonNode models = tree.path("models");
        if (!models.isObject()) {
            throw new PricingException("models: must be a mapping of model name to prices");
        }
        models.properties().forEach(entry -> {
            String path = "models." + entry.getKey();
            prices.put(entry.getKey().toLowerCase(Locale.ROOT), price(path, entry.getValue(), true));
        });
    }

    private static ModelPrice price(String path, JsonNode node, boolean allowLongContext) {
        if (!node.isObject()) {
            throw new PricingException(path + ": must be a mapping such as {input: 2.5, output: 10}");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!PRICE_FIELDS.contains(field) || (!allowLongContext && field.equals("long_context"))) {
                throw new PricingException(path + "." + field + ": unknown key (allowed: input, output, cached_input, "
                        + "cache_write, cache_write_1h" + (allowLongContext ? ", long_context" : "") + ")");
            }
        });
        ModelPrice.LongContext longContext = null;
        JsonNode tier = node.path("long_context");
        if (!tier.isMissingNode()) {
            if (!tier.isObject() || !tier.path("above_input_tokens").canConvertToLong() || tier.path("above_input_tokens").asLong() < 1) {
                throw new PricingException(path + ".long_context: must hold above_input_tokens (a positive integer) and prices");
            }
            ObjectNode rates = tier.deepCopy();
            rates.remove("above_input_tokens");
            longContext = new ModelPrice.LongContext(tier.path("above_input_tokens").asLong(),
                    price(path + ".long_context", rates, false));
        }
        return new ModelPrice(rate(path, node, "input", true), rate(path, node, "cached_input", false),
                rate(path, node, "cache_write", false), rate(path, node, "cache_write_1h", false),
                rate(path, node, "output", true), longContext);
    }

    private static BigDecimal rate(String path, JsonNode node, String field, boolean required) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw new PricingException(path + "." + field + ": missing (USD per million tokens)");
            }
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw new PricingException(path + "." + field + ": must be a number of at least 0 (USD per million tokens)");
        }
        return value.decimalValue();
    }

    /** A price table that cannot be used; the message names the file, the entry and the reason. */
    public static final class PricingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        PricingException(String message) {
            super(message);
        }
    }
}
