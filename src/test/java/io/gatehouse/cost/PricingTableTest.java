package io.gatehouse.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PricingTableTest {
    private static final PricingTable BUNDLED = PricingTable.bundled();

    @ParameterizedTest(name = "{0} is priced as {1}")
    @CsvSource({
            "gpt-5, gpt-5", "gpt-5-mini, gpt-5-mini", "gpt-5-nano, gpt-5-nano", "gpt-5-2025-08-07, gpt-5",
            "gpt-5-chat-latest, gpt-5-chat", "gpt-4.1-2025-04-14, gpt-4.1", "gpt-4.1-mini, gpt-4.1-mini",
            "gpt-4o-2024-08-06, gpt-4o", "gpt-4o-2024-05-13, gpt-4o-2024-05-13", "gpt-4o-mini-2024-07-18, gpt-4o-mini",
            "o3-2025-04-16, o3", "o3-mini-2025-01-31, o3-mini", "o4-mini, o4-mini", "gpt-4-0613, gpt-4",
            "text-embedding-3-small, text-embedding-3-small",
            "claude-opus-4-5-20251101, claude-opus-4-5", "claude-opus-4-1-20250805, claude-opus-4-1",
            "claude-opus-4-20250514, claude-opus-4", "claude-sonnet-4-5-20250929, claude-sonnet-4-5",
            "claude-sonnet-4-20250514, claude-sonnet-4", "claude-sonnet-4-0, claude-sonnet-4-0",
            "claude-haiku-4-5-20251001, claude-haiku-4-5", "claude-3-5-haiku-latest, claude-3-5-haiku",
            "claude-3-7-sonnet-20250219, claude-3-7-sonnet",
            "gemini-2.5-pro, gemini-2.5-pro", "models/gemini-2.5-flash, gemini-2.5-flash",
            "gemini-2.5-flash-lite, gemini-2.5-flash-lite", "gemini-2.0-flash-001, gemini-2.0-flash",
            "GPT-4o, gpt-4o"})
    void snapshotsArePricedAsTheirModel(String model, String entry) {
        assertThat(BUNDLED.find("openai", model)).get().extracting(PricingTable.PricedModel::entry).isEqualTo(entry);
    }

    /** Nothing but a snapshot suffix is stripped: a different model of the same family is never priced as it. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt-4.5-preview", "gpt-4o-realtime-preview", "gpt-5-super", "llama-3.1-70b", "demo-gpt", ""})
    void unknownModelsHaveNoPrice(String model) {
        assertThat(BUNDLED.find("openai", model)).isEmpty();
    }

    @Test
    void aModelOfTheSameFamilyKeepsItsOwnPrice() {
        assertThat(BUNDLED.find("openai", "gpt-5-pro").orElseThrow().price().output()).isEqualByComparingTo("120");
        assertThat(BUNDLED.find("openai", "gpt-5").orElseThrow().price().output()).isEqualByComparingTo("10");
        assertThat(BUNDLED.find("openai", "gpt-4o-2024-05-13").orElseThrow().price().input()).isEqualByComparingTo("5");
    }

    @Test
    void cacheRatesDefaultToTheInputRateWhenTheProviderHasNoDiscount() {
        ModelPrice gpt4 = BUNDLED.find(null, "gpt-4").orElseThrow().price();
        assertThat(gpt4.cachedInput()).isEqualByComparingTo("30");
        assertThat(gpt4.cacheWrite()).isEqualByComparingTo("30");
        ModelPrice opus = BUNDLED.find(null, "claude-opus-4-5").orElseThrow().price();
        assertThat(opus.cachedInput()).isEqualByComparingTo("0.5");
        assertThat(opus.cacheWrite()).isEqualByComparingTo("6.25");
        assertThat(opus.cacheWrite1h()).isEqualByComparingTo("10");
    }

    @Test
    void aPricingFileReplacesAndExtendsTheBundledTable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pricing.yaml"), """
                models:
                  gpt-4o: {input: 2.0, output: 8.0}
                  my-fine-tune: {input: 3, cached_input: 1.5, output: 12}
                  "local:llama-3.1-70b": {input: 0, output: 0}
                  "azure:gpt-4o": {input: 2.75, output: 11}
                """);
        PricingTable table = PricingTable.load(file);
        assertThat(table.find("openai", "gpt-4o-2024-08-06").orElseThrow().price().input()).isEqualByComparingTo("2.0");
        assertThat(table.find("openai", "gpt-4o").orElseThrow().price().cachedInput())
                .as("a replaced entry keeps only what the file says").isEqualByComparingTo("2.0");
        assertThat(table.find("openai", "my-fine-tune").orElseThrow().price().output()).isEqualByComparingTo("12");
        assertThat(table.find("openai", "gpt-5").orElseThrow().entry()).isEqualTo("gpt-5");
        // A provider-specific entry wins for that provider only.
        assertThat(table.find("azure", "gpt-4o").orElseThrow().price().input()).isEqualByComparingTo("2.75");
        assertThat(table.find("azure", "gpt-4o-2024-08-06").orElseThrow().entry()).isEqualTo("azure:gpt-4o");
        assertThat(table.find("local", "llama-3.1-70b").orElseThrow().price().output()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(table.find("openai", "llama-3.1-70b")).isEmpty();
    }

    @Test
    void aJsonPricingFileWorksToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pricing.json"), "{\"models\":{\"house-model\":{\"input\":1,\"output\":2}}}");
        assertThat(PricingTable.load(file).find(null, "house-model")).isPresent();
    }

    @Test
    void noFileMeansTheBundledTable() {
        assertThat(PricingTable.load(null).size()).isEqualTo(BUNDLED.size()).isGreaterThan(50);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "models: {gpt-4o: {input: -1, output: 8}}|models.gpt-4o.input: must be a number of at least 0",
            "models: {gpt-4o: {input: 1}}|models.gpt-4o.output: missing",
            "models: {gpt-4o: {input: 1, output: 2, cahced_input: 1}}|models.gpt-4o.cahced_input: unknown key",
            "models: {gpt-4o: {input: one, output: 2}}|models.gpt-4o.input: must be a number",
            "models: {gpt-4o: 3}|models.gpt-4o: must be a mapping",
            "model: {}|model: unknown key (allowed: as_of, models, sources)",
            "models: [1]|models: must be a mapping",
            "models: {x: {input: 1, output: 2, long_context: {input: 2, output: 4}}}|models.x.long_context: must hold above_input_tokens"})
    void aBadPricingFileNamesTheFileAndTheEntry(String yaml, String message, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pricing.yaml"), yaml);
        assertThatThrownBy(() -> PricingTable.load(file)).isInstanceOf(PricingTable.PricingException.class)
                .hasMessageStartingWith(file + ": " + message);
    }

    @Test
    void aMissingPricingFileIsAnError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> PricingTable.load(missing)).isInstanceOf(PricingTable.PricingException.class)
                .hasMessage(missing + ": cannot be read (NoSuchFileException)");
    }
}
