package io.gatehouse.cost;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostConfigTest {
    private static final String OPENAI = "llm:\n  type: openai\n  base_url: https://api.openai.com\n";

    @Test
    void onByDefault() throws Exception {
        assertThat(load(OPENAI).cost()).isEqualTo(CostConfig.defaults());
        assertThat(CostConfig.defaults().enabled()).isTrue();
        assertThat(CostConfig.defaults().estimateOutputTokens()).isEqualTo(4096);
    }

    @Test
    void everyKeyBinds(@TempDir Path dir) throws Exception {
        Path pricing = Files.writeString(dir.resolve("pricing.yaml"), "models: {house: {input: 1, output: 2}}\n");
        CostConfig cost = load(OPENAI + "cost:\n  enabled: true\n  pricing_file: " + pricing
                + "\n  estimate_output_tokens: 256\n").cost();
        assertThat(cost).isEqualTo(new CostConfig(true, pricing.toString(), 256));
        assertThat(ConfigView.effective(load(OPENAI + "cost:\n  enabled: false\n")).at("/cost/enabled").asBoolean()).isFalse();
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        assertThatThrownBy(() -> load(OPENAI + "cost:\n  pricng_file: x\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cost.pricng_file: unknown key");
        assertThatThrownBy(() -> load(OPENAI + "cost:\n  estimate_output_tokens: 0\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cost.estimate_output_tokens");
    }

    @Test
    void aBadPricingFileStopsTheGatewayFromStartingAndSaysWhy(@TempDir Path dir) throws Exception {
        Path pricing = Files.writeString(dir.resolve("pricing.yaml"), "models: {house: {input: 1}}\n");
        CostConfig cost = load(OPENAI + "cost:\n  pricing_file: " + pricing + "\n").cost();
        assertThatThrownBy(() -> CostInterceptor.forConfig(cost, new SimpleMeterRegistry()))
                .isInstanceOf(PricingTable.PricingException.class)
                .hasMessage("cost.pricing_file: " + pricing + ": models.house.output: missing (USD per million tokens)");
    }

    @Test
    void aPricingFileIsNotReadWhenMeteringIsOff() {
        assertThat(CostInterceptor.forConfig(new CostConfig(false, "/nonexistent/pricing.yaml", null),
                new SimpleMeterRegistry())).isEmpty();
    }

    private static GatehouseConfig load(String yaml) throws Exception {
        Path file = Files.createTempFile("gatehouse", ".yaml");
        try {
            Files.writeString(file, yaml);
            return ConfigLoader.load(file, Map.of(), Map.of());
        } finally {
            Files.delete(file);
        }
    }
}
