package io.gatehouse.cli;

import io.gatehouse.Version;
import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.logging.LoggingSetup;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.proxy.Gateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the gateway.",
                "Settings come from flags, then the environment (LLM_BASE_URL, LLM_TYPE, LLM_API_KEY, LOG_LEVEL),"
                        + " then --config, then defaults. Keys: OPENAI_API_KEY / ANTHROPIC_API_KEY are used when none is given."})
final class RunCommand implements Callable<Integer> {
    private static final String MISSING_UPSTREAM = "--base-url and --type are required (or provide --config)";
    private static final String API_KEY_FLAG_WARNING = "warning: --api-key leaves the key in your shell history and in the"
            + " process list; prefer LLM_API_KEY, OPENAI_API_KEY / ANTHROPIC_API_KEY, or api_key: ${VAR} in a config file";

    private static final Logger LOG = LoggerFactory.getLogger("gatehouse");
    /** Enables the management API; read from the environment only, never from a file or a flag. */
    static final String MANAGEMENT_TOKEN_ENV = "MANAGEMENT_TOKEN";

    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Option(names = "--base-url", paramLabel = "URL", description = "Base URL of the upstream API (default for the type: its public API).")
    private String baseUrl;
    @Option(names = "--type", paramLabel = "TYPE", description = "Upstream API type: openai, anthropic, azure, gemini, bedrock, ollama, vllm or openai_compatible.")
    private String type;
    @Option(names = "--api-key", paramLabel = "KEY", description = "Key to send upstream (discouraged: prefer the environment).")
    private String apiKey;
    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: 4000).")
    private Integer port;
    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default: 127.0.0.1).")
    private String host;
    @Option(names = "--log-level", paramLabel = "LEVEL", description = "DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    private String logLevel;
    @Option(names = "--config", paramLabel = "PATH", description = "YAML configuration file.")
    private Path configFile;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (apiKey != null) {
            err.println(API_KEY_FLAG_WARNING);
            err.flush();
        }
        if (configFile == null && type == null && isBlank(main.environment().get("LLM_TYPE"))) {
            err.println(MISSING_UPSTREAM);
            err.flush();
            return 1;
        }
        GatehouseConfig config;
        try {
            config = ConfigLoader.load(configFile, main.environment(), flagOverrides());
        } catch (ConfigException e) {
            ConfigReport.printProblems(err, configFile, e);
            return 1;
        }
        LoggingSetup.apply(config.logging());
        Gateway gateway;
        try {
            gateway = Gateway.builder(config)
                    .managementToken(Secret.ofNullable(main.environment().get(MANAGEMENT_TOKEN_ENV)))
                    .start();
        } catch (RuntimeException e) {
            LOG.error("Cannot start the gateway: {}", e.getMessage());
            return 1;
        }
        logStartup(config, gateway.port());
        main.lifetime().runUntilStopped(List.of(gateway));
        return 0;
    }

    private Map<String, Object> flagOverrides() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("llm.base_url", baseUrl);
        flags.put("llm.type", type);
        flags.put("llm.api_key", apiKey);
        flags.put("server.port", port);
        flags.put("server.host", host);
        flags.put("logging.level", logLevel);
        return flags;
    }

    private static void logStartup(GatehouseConfig config, int actualPort) {
        String bind = config.server().host();
        LOG.info("Gatehouse {} listening on http://{}:{}; providers: {}", Version.get(), Addresses.forUrl(bind),
                actualPort, String.join(", ", ConfigReport.providers(config)));
        if (!Addresses.isLoopback(bind) && config.auth().parsedMode() == AuthConfig.Mode.NONE) {
            LOG.warn("!!! Listening on {}, which is not a loopback address, with auth.mode none: the gateway has no client"
                    + " authentication, so anyone who can reach port {} can spend the configured API keys."
                    + " Set auth.mode: virtual_keys, or bind to 127.0.0.1 unless a firewall or an authenticating proxy"
                    + " guards it.", bind, actualPort);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
