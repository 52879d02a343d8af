package io.gatehouse.limit;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.LimitsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits: block binds SLLMP's constraint shape, and every mistake names its key. */
class LimitsConfigTest {
    private static final String OPENAI = "llm:\n  type: openai\n";

    @TempDir
    Path dir;

    private GatehouseConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("gatehouse.yaml"), yaml), Map.of(), Map.of());
    }

    private String error(String yaml) {
        return assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).actual().getMessage();
    }

    @Test
    void bindsConstraintsWithSllmpSpellingsAndDefaults() throws Exception {
        GatehouseConfig config = load(OPENAI + """
                redis: {url: "redis://127.0.0.1:6379"}
                limits:
                  backend: redis
                  shadow_mode: true
                  prices: {"gpt-4o*": {input: 2.5, output: 10}}
                  constraints:
                    - name: sllmp-style
                      dimensions: [user_id, organization, meta:tier]
                      rate_limit: {per_minute: 30}
                      budget_limit: {limit: 12.5, window: 7d}
                    - name: hourly
                      rate_limit: {requests: 1000, tokens: 50000, per_minute: 50, window: hour}
                """);
        LimitsConfig limits = config.limits();
        assertThat(limits.backend()).isEqualTo("redis");
        assertThat(limits.shadowMode()).isTrue();
        assertThat(limits.onBackendError()).isEqualTo("allow");
        assertThat(limits.keyPrefix()).isEqualTo("gatehouse:limit:");

        Constraint sllmp = Constraint.from(limits.constraints().get(0));
        assertThat(sllmp.dimensions()).extracting(Dimension::label).containsExactly("user", "meta:organization", "meta:tier");
        assertThat(sllmp.limits()).containsExactly(new Constraint.Limit(Meter.REQUESTS, 30, Window.MINUTE),
                new Constraint.Limit(Meter.SPEND, 12_500_000_000L, Window.WEEK));
        assertThat(Constraint.from(limits.constraints().get(1)).limits()).containsExactly(
                new Constraint.Limit(Meter.REQUESTS, 1000, Window.HOUR),
                new Constraint.Limit(Meter.REQUESTS, 50, Window.MINUTE),
                new Constraint.Limit(Meter.TOKENS, 50_000, Window.HOUR));
        assertThat(ConfigView.effective(config).at("/limits/constraints/0/budget_limit/window").asText()).isEqualTo("7d");
    }

    @Test
    void mistakesNameTheirKey() {
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, rate_limit: {requests: 1}, windw: day}\n"))
                .startsWith("limits.constraints[0].windw: unknown key");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a}\n"))
                .isEqualTo("limits.constraints[0]: needs rate_limit, budget_limit or both");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, rate_limit: {window: hour}}\n"))
                .isEqualTo("limits.constraints[0].rate_limit: needs requests, tokens or per_minute");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, budget_limit: {limit: 5, window: 2d}}\n"))
                .startsWith("limits.constraints[0].budget_limit.window: ");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, dimensions: [region], rate_limit: {requests: 1}}\n"))
                .isEqualTo("limits.constraints[0].dimensions[0]: must be key, project, model, feature, user, user_id, team, "
                        + "organization or meta:<field> (got \"region\")");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, rate_limit: {requests: 1}}\n"
                + "    - {name: a, rate_limit: {requests: 2}}\n"))
                .isEqualTo("limits.constraints[1].name: duplicate constraint name \"a\"");
        assertThat(error(OPENAI + "limits:\n  constraints:\n    - {name: a, rate_limit: {requests: 1, per_minute: 2}}\n"))
                .startsWith("limits.constraints[0].rate_limit.per_minute: per_minute and requests would both limit requests per minute");
        assertThat(error(OPENAI + "limits:\n  backend: redis\n  constraints: [{name: a, rate_limit: {requests: 1}}]\n"))
                .isEqualTo("limits.backend: redis needs redis.url (the Redis shared by every instance)");
    }

    @Test
    void withoutConstraintsNoLimitsApply() throws Exception {
        assertThat(load(OPENAI).limits().constraints()).isEqualTo(List.of());
    }
}
