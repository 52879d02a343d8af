package io.gatehouse.config;

import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String OPENAI = "llm:\n  type: openai\n";

    @TempDir
    Path dir;

    private Path write(String yaml) {
        try {
            return Files.writeString(dir.resolve("gatehouse.yaml"), yaml);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private GatehouseConfig load(String yaml) {
        return load(yaml, Map.of(), Map.of());
    }

    private GatehouseConfig load(String yaml, Map<String, String> env, Map<String, Object> flags) {
        return ConfigLoader.load(write(yaml), env, flags);
    }

    private String error(String yaml) {
        return error(yaml, Map.of());
    }

    private String error(String yaml, Map<String, String> env) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(yaml, env, Map.of()));
        return e.getMessage();
    }

    // ---- defaults and binding ----

    @Test
    void fillsDefaultsAroundAMinimalUpstream() {
        GatehouseConfig config = load(OPENAI);
        assertThat(config.server().port()).isEqualTo(4000);
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.llm().baseUrl()).isEqualTo("https://api.openai.com");
        assertThat(config.llm().apiKey()).isNull();
        assertThat(config.llm().timeout()).isEqualTo(600.0);
        assertThat(config.logging().level()).isEqualTo("INFO");
        assertThat(config.logging().backupCount()).isEqualTo(5);
    }

    @Test
    void bindsEveryBlock() {
        GatehouseConfig config = load("""
                server: {port: 5001, host: 0.0.0.0, workers: 3, max_body_bytes: 2048}
                llm: {type: anthropic, api_key: k-1234567890, timeout: 12.5, connect_timeout: 2, idle_timeout: 9, max_retries: 0}
                providers:
                  - {name: oa, type: openai, base_url: "http://127.0.0.1:9000/"}
                default_provider: oa
                interceptors:
                  - type: printer
                    enabled: false
                    config: {log_body: true}
                logging: {level: warning, format: json, file: /tmp/x.log, max_file_size: 512KB, backup_count: 2}
                """);
        assertThat(config.server()).isEqualTo(new ServerConfig(5001, "0.0.0.0", 3, 2048L));
        assertThat(config.llm()).isEqualTo(new ProviderConfig(null, "anthropic", "https://api.anthropic.com",
                "k-1234567890", 12.5, 2.0, 9.0, 0));
        assertThat(config.providers()).extracting(ProviderConfig::name, ProviderConfig::baseUrl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("oa", "http://127.0.0.1:9000"));
        assertThat(config.defaultProvider()).isEqualTo("oa");
        assertThat(config.interceptors().get(0).enabled()).isFalse();
        assertThat(config.interceptors().get(0).config().get("log_body").booleanValue()).isTrue();
        assertThat(config.logging()).isEqualTo(new LoggingConfig("WARNING", "json", "/tmp/x.log", "512KB", 2));
    }

    @Test
    void anEmptyKeyMeansTheDefault() {
        GatehouseConfig config = load("server:\nllm:\n  type: openai\n  api_key:\nlogging:\n  file:\n");
        assertThat(config.server().port()).isEqualTo(4000);
        assertThat(config.llm().apiKey()).isNull();
        assertThat(config.logging().file()).isNull();
    }

    @Test
    void worksWithoutAFile() {
        GatehouseConfig config = ConfigLoader.load(null, Map.of("LLM_TYPE", "anthropic"), Map.of());
        assertThat(config.llm().baseUrl()).isEqualTo("https://api.anthropic.com");
    }

    // ---- substitution through the loader ----

    @Test
    void substitutedNumbersBindToNumericKeys() {
        GatehouseConfig config = load("server:\n  port: ${PORT:-4100}\n  workers: ${WORKERS}\n" + OPENAI,
                Map.of("WORKERS", "2"), Map.of());
        assertThat(config.server().port()).isEqualTo(4100);
        assertThat(config.server().workers()).isEqualTo(2);
    }

    @Test
    void substitutedKeysStayStringsEvenWhenNumeric() {
        GatehouseConfig config = load(OPENAI + "  api_key: ${KEY}\n", Map.of("KEY", "000123456789"), Map.of());
        assertThat(config.llm().apiKey()).isEqualTo("000123456789");
    }

    @Test
    void anUnsetVariableIsAnErrorAtItsKey() {
        assertThat(error(OPENAI + "  base_url: https://${HOST_NOT_SET}/\n"))
                .isEqualTo("llm.base_url: environment variable HOST_NOT_SET is not set"
                        + " (set it, or write ${HOST_NOT_SET:-default} to give a default)");
    }

    // ---- precedence: flags > env > file > defaults ----

    @Test
    void portComesFromFlagThenFileThenDefault() {
        assertThat(load(OPENAI).server().port()).isEqualTo(4000);
        assertThat(load("server: {port: 5000}\n" + OPENAI).server().port()).isEqualTo(5000);
        assertThat(load("server: {port: 5000}\n" + OPENAI, Map.of(), Map.of("server.port", 6000)).server().port())
                .isEqualTo(6000);
    }

    @Test
    void hostComesFromFlagOverFile() {
        assertThat(load("server: {host: 10.0.0.1}\n" + OPENAI, Map.of(), Map.of("server.host", "::1")).server().host())
                .isEqualTo("::1");
    }

    @Test
    void baseUrlComesFromFlagThenEnvThenFileThenTypeDefault() {
        String file = OPENAI + "  base_url: http://file.example\n";
        Map<String, String> env = Map.of("LLM_BASE_URL", "http://env.example");
        assertThat(load(OPENAI).llm().baseUrl()).isEqualTo("https://api.openai.com");
        assertThat(load(file).llm().baseUrl()).isEqualTo("http://file.example");
        assertThat(load(file, env, Map.of()).llm().baseUrl()).isEqualTo("http://env.example");
        assertThat(load(file, env, Map.of("llm.base_url", "http://flag.example")).llm().baseUrl())
                .isEqualTo("http://flag.example");
    }

    @Test
    void typeComesFromFlagThenEnvThenFile() {
        String file = "llm: {type: anthropic, base_url: http://up.example}\n";
        assertThat(load(file).llm().type()).isEqualTo("anthropic");
        assertThat(load(file, Map.of("LLM_TYPE", "openai"), Map.of()).llm().type()).isEqualTo("openai");
        assertThat(load(file, Map.of("LLM_TYPE", "openai"), Map.of("llm.type", "anthropic")).llm().type())
                .isEqualTo("anthropic");
    }

    @Test
    void apiKeyComesFromFlagThenEnvThenFile() {
        String file = OPENAI + "  api_key: file-key-0001\n";
        Map<String, String> env = Map.of("LLM_API_KEY", "env-key-0002");
        assertThat(load(file).llm().apiKey()).isEqualTo("file-key-0001");
        assertThat(load(file, env, Map.of()).llm().apiKey()).isEqualTo("env-key-0002");
        assertThat(load(file, env, Map.of("llm.api_key", "flag-key-0003")).llm().apiKey()).isEqualTo("flag-key-0003");
    }

    @Test
    void logLevelComesFromFlagThenEnvThenFileThenDefault() {
        String file = OPENAI + "logging: {level: warning}\n";
        assertThat(load(OPENAI).logging().level()).isEqualTo("INFO");
        assertThat(load(file).logging().level()).isEqualTo("WARNING");
        assertThat(load(file, Map.of("LOG_LEVEL", "debug"), Map.of()).logging().level()).isEqualTo("DEBUG");
        assertThat(load(file, Map.of("LOG_LEVEL", "debug"), Map.of("logging.level", "Error")).logging().level())
                .isEqualTo("ERROR");
    }

    @Test
    void blankEnvironmentValuesAreIgnored() {
        GatehouseConfig config = load(OPENAI + "  base_url: http://file.example\n",
                Map.of("LLM_BASE_URL", "", "LOG_LEVEL", " "), Map.of());
        assertThat(config.llm().baseUrl()).isEqualTo("http://file.example");
        assertThat(config.logging().level()).isEqualTo("INFO");
    }

    @Test
    void nullFlagsAreIgnored() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("server.port", null);
        assertThat(load("server: {port: 5000}\n" + OPENAI, Map.of(), flags).server().port()).isEqualTo(5000);
    }

    @Test
    void envAloneCanDescribeTheUpstream() {
        GatehouseConfig config = ConfigLoader.load(null,
                Map.of("LLM_TYPE", "openai", "LLM_BASE_URL", "http://127.0.0.1:1234", "LLM_API_KEY", "k-abcdefgh1234"), Map.of());
        assertThat(config.llm()).extracting(ProviderConfig::type, ProviderConfig::baseUrl, ProviderConfig::apiKey)
                .containsExactly("openai", "http://127.0.0.1:1234", "k-abcdefgh1234");
    }

    // ---- key fallbacks ----

    @Test
    void providerKeyVariablesFillAMissingKeyByType() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "openai-fallback-1", "ANTHROPIC_API_KEY", "anthropic-fallback-2");
        GatehouseConfig config = load("""
                llm: {type: anthropic}
                providers:
                  - {name: oa, type: openai}
                  - {name: own, type: openai, api_key: own-key-3333}
                """, env, Map.of());
        assertThat(config.llm().apiKey()).isEqualTo("anthropic-fallback-2");
        assertThat(config.providers()).extracting(ProviderConfig::apiKey)
                .containsExactly("openai-fallback-1", "own-key-3333");
    }

    @Test
    void providerKeyVariablesNeverOverrideAFileKey() {
        assertThat(load(OPENAI + "  api_key: from-the-file\n", Map.of("OPENAI_API_KEY", "from-env-fallback"), Map.of())
                .llm().apiKey()).isEqualTo("from-the-file");
    }

    @Test
    void providerKeyVariablesNeverOverrideLlmApiKeyOrTheFlag() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "fallback", "LLM_API_KEY", "explicit-env");
        assertThat(load(OPENAI, env, Map.of()).llm().apiKey()).isEqualTo("explicit-env");
        assertThat(load(OPENAI, Map.of("OPENAI_API_KEY", "fallback"), Map.of("llm.api_key", "flag-key")).llm().apiKey())
                .isEqualTo("flag-key");
    }

    @Test
    void anEmptySubstitutedKeyTakesTheFallback() {
        assertThat(load(OPENAI + "  api_key: ${MY_KEY:-}\n", Map.of("OPENAI_API_KEY", "fallback-key"), Map.of())
                .llm().apiKey()).isEqualTo("fallback-key");
    }

    @Test
    void aFallbackVariableAloneDoesNotCreateAnUpstream() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OPENAI_API_KEY", "k"), Map.of()))
                .hasMessageStartingWith("llm: an upstream is required");
    }

    // ---- unknown keys, at every depth ----

    @Test
    void unknownServerKey() {
        assertThat(error("server: {prot: 1}\n" + OPENAI))
                .isEqualTo("server.prot: unknown key (allowed: port, host, workers, max_body_bytes, shutdown_grace_seconds)");
    }

    @Test
    void unknownUpstreamKey() {
        assertThat(error(OPENAI + "  timout: 3\n")).isEqualTo("llm.timout: unknown key (allowed: name, type, base_url,"
                + " api_key, timeout, connect_timeout, idle_timeout, http2, ca_file, max_retries, allowed_methods, allowed_paths, required_headers,"
                + " allowed_origins, param_whitelist, retry, fallbacks, fallback_on, api_version, region, models, deployments,"
                + " balancing, circuit_breaker, bulkhead)");
    }

    @Test
    void unknownInterceptorSetting() {
        assertThat(error(OPENAI + "interceptors:\n  - type: printer\n    config: {log_bdy: true}\n"))
                .isEqualTo("interceptors[0].config.log_bdy: unknown key (allowed: log_requests, log_responses,"
                        + " log_body, show_sessions, show_tools, show_llm_calls)");
    }

    @Test
    void recorderSettingsAreCheckedByType() {
        assertThat(error(OPENAI + "interceptors:\n  - type: http_recorder\n    config: {output_dirr: ./x}\n"))
                .isEqualTo("interceptors[0].config.output_dirr: unknown key (allowed: output_dir, max_events_per_file,"
                        + " include_headers, include_timing, max_body_size_mb, redact_sensitive_headers, queue_size)");
        assertThat(error(OPENAI + "interceptors:\n  - type: event_recorder\n    config: {file_format: xml}\n"))
                .isEqualTo("interceptors[0].config.file_format: must be one of jsonl, json (got \"xml\")");
        assertThat(error(OPENAI + "interceptors:\n  - type: message_logger\n    config: {queue_size: 0}\n"))
                .startsWith("interceptors[0].config.queue_size: ");
        assertThat(error(OPENAI + "interceptors:\n  - type: message_logger\n    config: {filename: logs/m.jsonl}\n"))
                .isEqualTo("interceptors[0].config.filename: must be a file name without a folder (got \"logs/m.jsonl\")");
        assertThat(load(OPENAI + "server: {shutdown_grace_seconds: 2.5}\ninterceptors:\n  - type: trace\n").server()
                .shutdownGraceSeconds()).isEqualTo(2.5);
    }

    @Test
    void authModeDefaultsToNoneAndAcceptsVirtualKeys() {
        assertThat(load(OPENAI).auth().parsedMode()).isEqualTo(AuthConfig.Mode.NONE);
        assertThat(load(OPENAI + "auth:\n  mode: virtual_keys\n").auth().parsedMode()).isEqualTo(AuthConfig.Mode.VIRTUAL_KEYS);
    }

    @Test
    void unknownAuthModeNamesTheAllowedOnes() {
        assertThat(error(OPENAI + "auth:\n  mode: tokens\n"))
                .isEqualTo("auth.mode: unknown auth mode \"tokens\" (allowed: none, virtual_keys)");
    }

    @Test
    void unknownTopLevelKey() {
        assertThat(error(OPENAI + "foo: 1\n")).isEqualTo("foo: unknown key (allowed: server, llm, providers,"
                + " models, default_provider, interceptors, storage, redis, auth, limits, features, session, cost, logging)");
    }

    @Test
    void sessionBlockDefaultsAndValues() throws Exception {
        assertThat(load(OPENAI).session()).isEqualTo(io.gatehouse.session.SessionConfig.defaults());
        io.gatehouse.session.SessionConfig session = load(OPENAI + "session:\n  enabled: false\n  max_sessions: 5\n"
                + "  session_ttl_seconds: 60\n  enable_fuzzy_matching: true\n  similarity_threshold: 0.5\n"
                + "  max_messages_for_new_session: 2\n  reset_phrases: [again]\n").session();
        assertThat(session).isEqualTo(new io.gatehouse.session.SessionConfig(false, 5, 60L, true, 0.5, 2, java.util.List.of("again")));
    }

    @Test
    void sessionBlockIsValidatedLikeTheOthers() {
        assertThat(error(OPENAI + "session:\n  max_sesions: 5\n")).isEqualTo("session.max_sesions: unknown key (allowed:"
                + " enabled, max_sessions, session_ttl_seconds, enable_fuzzy_matching, similarity_threshold,"
                + " max_messages_for_new_session, reset_phrases)");
        assertThat(error(OPENAI + "session:\n  similarity_threshold: 1.5\n  session_ttl_seconds: 0\n")).contains(
                "session.similarity_threshold", "session.session_ttl_seconds");
        assertThat(error(OPENAI + "interceptors:\n  - type: session\n    config: {ttl: 1}\n"))
                .startsWith("interceptors[0].config.ttl: unknown key");
    }

    @Test
    void theSeedsMiddlewaresKeyPointsToInterceptors() {
        assertThat(error(OPENAI + "middlewares: []\n")).endsWith("; did you mean interceptors?");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load("server: {prot: 1}\nllm: {type: openai, timout: 1}\n"));
        assertThat(e.problems()).extracting(ConfigException.Problem::path).containsExactlyInAnyOrder("server.prot", "llm.timout");
    }

    // ---- bad values ----

    @Test
    void portMustBeAnIntegerInRange() {
        assertThat(error("server: {port: abc}\n" + OPENAI)).isEqualTo("server.port: must be an integer (got a string)");
        assertThat(error("server: {port: 70000}\n" + OPENAI)).isEqualTo("server.port: must be between 1 and 65535 (got 70000)");
        assertThat(error("server: {port: 80.5}\n" + OPENAI)).isEqualTo("server.port: must be an integer (got a number)");
    }

    @Test
    void http2IsOffByDefaultAndMustBeABoolean() {
        assertThat(load(OPENAI).llm().http2()).isFalse();
        assertThat(load("providers:\n  - {name: fast, type: openai, base_url: https://x, http2: true}\n")
                .providers().getFirst().http2()).isTrue();
        assertThat(error(OPENAI + "  http2: sometimes\n")).isEqualTo("llm.http2: must be a boolean (got a string)");
    }

    @Test
    void caFileMustBeAReadableFileOfCertificatesForAnHttpsUpstream() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        Path pem = Path.of(certificate.certificatePath());
        assertThat(load("llm: {type: openai, base_url: https://vllm.internal, ca_file: " + pem + "}\n").llm().caFile())
                .isEqualTo(pem.toString());
        assertThat(load(OPENAI).llm().caFile()).isNull();
        assertThat(load("llm: {type: openai, base_url: https://x, ca_file: \"${UNSET_CA:-}\"}\n").llm().caFile()).isNull();
        assertThat(error("providers:\n  - {name: local, type: openai, base_url: https://vllm.internal, ca_file: "
                + dir.resolve("missing.pem") + "}\n"))
                .isEqualTo("providers[0].ca_file: \"" + dir.resolve("missing.pem") + "\" is not a readable file");
        assertThat(error("llm: {type: openai, base_url: http://vllm.internal, ca_file: " + pem + "}\n"))
                .isEqualTo("llm.ca_file: applies to https upstreams only; base_url is not https");
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
        assertThat(error("llm: {type: openai, base_url: https://vllm.internal, ca_file: " + notPem + "}\n"))
                .isEqualTo("llm.ca_file: \"" + notPem + "\" holds no PEM certificate");
        certificate.delete();
    }

    @Test
    void typeMustBeKnown() {
        assertThat(error("llm: {type: cohere, base_url: http://x}\n")).isEqualTo("llm.type: must be one of openai,"
                + " anthropic, azure, gemini, bedrock, ollama, vllm, openai_compatible (got \"cohere\")");
    }

    @Test
    void aMissingTypeIsReported() {
        assertThat(error("llm: {base_url: http://x}\n")).isEqualTo("llm.type: required key missing");
    }

    @Test
    void baseUrlMustBeHttp() {
        assertThat(error(OPENAI + "  base_url: ftp://x\n"))
                .isEqualTo("llm.base_url: must start with http:// or https:// followed by a host (got \"ftp://x\")");
    }

    @Test
    void timesMustBePositive() {
        assertThat(error(OPENAI + "  idle_timeout: 0\n")).isEqualTo("llm.idle_timeout: must be greater than 0 (got 0)");
    }

    @Test
    void retriesAreBounded() {
        assertThat(error(OPENAI + "  max_retries: 11\n")).isEqualTo("llm.max_retries: must be between 0 and 10 (got 11)");
    }

    @Test
    void serverLimitsHaveMinimums() {
        assertThat(error("server: {workers: 0, max_body_bytes: 10}\n" + OPENAI)).contains(
                "server.workers: must be at least 1 (got 0)", "server.max_body_bytes: must be at least 1024 (got 10)");
    }

    @Test
    void loggingValuesAreChecked() {
        assertThat(error(OPENAI + "logging: {level: verbose}\n"))
                .isEqualTo("logging.level: must be one of DEBUG, INFO, WARNING, WARN, ERROR, CRITICAL (got \"VERBOSE\")");
        assertThat(error(OPENAI + "logging: {format: xml}\n")).isEqualTo("logging.format: must be one of text, json (got \"xml\")");
        assertThat(error(OPENAI + "logging: {max_file_size: 10XB}\n"))
                .isEqualTo("logging.max_file_size: must be a size such as 512KB, 10MB or 1GB (got \"10XB\")");
        assertThat(error(OPENAI + "logging: {backup_count: -1}\n")).isEqualTo("logging.backup_count: must be between 0 and 20 (got -1)");
    }

    @Test
    void aBlockMustBeAMapping() {
        assertThat(error(OPENAI + "server: 4000\n")).isEqualTo("server: must be a mapping (got an integer)");
        assertThat(error(OPENAI + "providers: {name: x}\n")).isEqualTo("providers: must be a list (got a mapping)");
    }

    @Test
    void interceptorFlagsMustBeBooleans() {
        assertThat(error(OPENAI + "interceptors:\n  - {type: printer, enabled: maybe, config: {log_body: 1}}\n")).contains(
                "interceptors[0].enabled: must be a boolean (got a string)",
                "interceptors[0].config.log_body: must be a boolean (got an integer)");
    }

    @Test
    void interceptorTypeMustBeRegistered() {
        assertThat(error(OPENAI + "interceptors:\n  - type: foo\n"))
                .isEqualTo("interceptors[0].type: unknown interceptor type \"foo\" (known: printer, session, events, message_logger, event_recorder, http_recorder, trace)");
        assertThat(error(OPENAI + "interceptors:\n  - enabled: true\n")).isEqualTo("interceptors[0].type: required key missing");
    }

    // ---- provider names ----

    @ParameterizedTest
    @ValueSource(strings = {"health", "config", "metrics", "v1", "v1beta", "agent-workflow", "manage", "api", "dashboard", "mcp"})
    void reservedProviderNamesAreRejected(String name) {
        assertThat(error("providers:\n  - {name: " + name + ", type: openai}\n"))
                .startsWith("providers[0].name: \"" + name + "\" is reserved for the gateway's own paths (reserved: health,");
    }

    @Test
    void theLlmNameIsCheckedToo() {
        assertThat(error("llm: {name: metrics, type: openai}\n")).startsWith("llm.name: \"metrics\" is reserved");
    }

    @Test
    void providerNamesMustBePathSafe() {
        assertThat(error("providers:\n  - {name: My Provider, type: openai}\n")).startsWith(
                "providers[0].name: must be lowercase letters, digits, '_' or '-', starting with a letter or digit (got \"My Provider\")");
    }

    @Test
    void providersNeedAName() {
        assertThat(error("providers:\n  - {type: openai}\n")).isEqualTo("providers[0].name: required key missing");
    }

    @Test
    void duplicateProviderNamesAreRejected() {
        assertThat(error("providers:\n  - {name: a, type: openai}\n  - {name: a, type: anthropic}\n"))
                .isEqualTo("providers[1].name: duplicate provider name \"a\"");
    }

    @Test
    void aProviderCannotTakeTheLlmBlocksName() {
        assertThat(error(OPENAI + "providers:\n  - {name: default, type: anthropic}\n"))
                .isEqualTo("providers[0].name: duplicate provider name \"default\"");
    }

    @Test
    void defaultProviderMustNameAProvider() {
        assertThat(error(OPENAI + "providers:\n  - {name: a, type: openai}\ndefault_provider: b\n"))
                .isEqualTo("default_provider: \"b\" is not a configured provider (configured: default, a)");
    }

    @Test
    void anUpstreamIsRequired() {
        assertThat(error("server: {port: 4000}\n")).startsWith("llm: an upstream is required");
        assertThat(error("providers: []\n")).startsWith("llm: an upstream is required");
    }

    @Test
    void providersAloneAreEnough() {
        GatehouseConfig config = load("providers:\n  - {name: claude, type: anthropic}\n");
        assertThat(config.llm()).isNull();
        assertThat(ConfigView.defaultProviderName(config)).isEqualTo("claude");
        assertThat(config.providers().get(0).baseUrl()).isEqualTo("https://api.anthropic.com");
    }

    // ---- the file itself ----

    @Test
    void yamlSyntaxErrorsGiveLineAndColumnButNotTheLine() {
        String message = error("llm:\n  type: openai\n  api_key: sk-secret-on-a-bad-line: x\n");
        assertThat(message).startsWith("YAML syntax error at line 3, column ").doesNotContain("sk-secret-on-a-bad-line");
    }

    @Test
    void duplicateKeysAreSyntaxErrors() {
        assertThat(error(OPENAI + "server:\n  port: 1\n  port: 2\n"))
                .isEqualTo("YAML syntax error at line 5, column 7: Duplicate field 'port'");
    }

    @Test
    void aMissingFileIsReported() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("file not found");
    }

    @Test
    void theTopLevelMustBeAMapping() {
        assertThat(error("- a\n- b\n")).isEqualTo("the top level must be a mapping of keys such as server: and llm:");
    }

    // ---- secrets stay out of errors ----

    @Test
    void errorsNeverShowAKey() {
        String key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123";
        List<String> messages = List.of(
                error("llm: {type: " + key + "}\n"),
                error("llm: {type: openai, base_url: " + key + "}\n"),
                error(OPENAI + "  api_key: [" + key + "]\n"),
                error(OPENAI + "  api_key: " + key + "\n  bogus: 1\n"));
        assertThat(messages).allSatisfy(message -> assertThat(message).doesNotContain(key));
    }
}
