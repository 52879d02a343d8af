package io.gatehouse.cli;

import io.gatehouse.Blocking;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.config.ProviderConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.provider.demo.DemoUpstream;
import io.gatehouse.proxy.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Try the gateway without an API key: a built-in fake OpenAI/Anthropic upstream behind the gateway.")
final class DemoCommand implements Callable<Integer> {
    private static final String UPSTREAM_HOST = "127.0.0.1";

    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "4000", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    private int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Gateway address (default: ${DEFAULT-VALUE}).")
    private String host;
    @Option(names = "--delay-ms", defaultValue = "0", paramLabel = "MS",
            description = "Pause between streamed events of the fake upstream (default: ${DEFAULT-VALUE}).")
    private long delayMs;

    @Override
    public Integer call() {
        Vertx vertx = Vertx.vertx();
        Gateway gateway;
        try {
            HttpServer upstream = Blocking.await(DemoUpstream.start(vertx, UPSTREAM_HOST, 0,
                    new DemoUpstream.Options(delayMs, null)));
            gateway = Gateway.builder(config(upstream.actualPort())).vertx(vertx).start();
        } catch (RuntimeException e) {
            vertx.close();
            spec.commandLine().getErr().println("✗ cannot start the demo: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        printTryIt(spec.commandLine().getOut(), "http://" + Addresses.forUrl(host) + ":" + gateway.port());
        main.lifetime().runUntilStopped(List.of(() -> Blocking.await(vertx.close()), gateway));
        return 0;
    }

    /** Two providers on the one fake upstream: OpenAI by default, Anthropic under /anthropic. */
    private GatehouseConfig config(int upstreamPort) {
        String upstreamUrl = "http://" + UPSTREAM_HOST + ":" + upstreamPort;
        List<ProviderConfig> providers = List.of(
                new ProviderConfig("openai", "openai", upstreamUrl, null, null, null, null, null),
                new ProviderConfig("anthropic", "anthropic", upstreamUrl, null, null, null, null, null));
        return GatehouseConfig.defaults().withRouting(new ServerConfig(port, host, null, null), providers, "openai",
                List.of(new InterceptorConfig("printer", true, null)));
    }

    private static void printTryIt(PrintWriter out, String gateway) {
        String chat = "{\"model\":\"demo-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
        String streamedChat = "{\"model\":\"demo-gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
        out.println();
        out.println("Gatehouse demo running on " + gateway + " (fake upstream, no API key needed)");
        out.println();
        out.println("Try it:");
        out.println("  curl " + gateway + "/v1/chat/completions -H 'content-type: application/json' \\");
        out.println("    -d '" + chat + "'");
        out.println("  curl -N " + gateway + "/v1/chat/completions -H 'content-type: application/json' \\");
        out.println("    -d '" + streamedChat + "'");
        out.println();
        out.println("SDK base URLs:");
        out.println("  OpenAI:    " + gateway + "/v1");
        out.println("  Anthropic: " + gateway + "/anthropic");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
