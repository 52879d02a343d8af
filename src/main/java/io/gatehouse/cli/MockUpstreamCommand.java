package io.gatehouse.cli;

import io.gatehouse.Blocking;
import io.gatehouse.provider.demo.DemoUpstream;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "mock-upstream", mixinStandardHelpOptions = true,
        description = {"Run only the fake OpenAI/Anthropic upstream (for benchmarks and tests).",
                "The first line on stdout is: listening on http://HOST:PORT"})
final class MockUpstreamCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "0", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host;
    @Option(names = "--delay-ms", defaultValue = "0", paramLabel = "MS",
            description = "Pause between streamed events (default: ${DEFAULT-VALUE}).")
    private long delayMs;

    @Override
    public Integer call() {
        Vertx vertx = Vertx.vertx();
        int actualPort;
        try {
            actualPort = listenOnEveryCore(vertx);
        } catch (RuntimeException e) {
            vertx.close();
            spec.commandLine().getErr().println("✗ cannot start the mock upstream: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("listening on http://" + Addresses.forUrl(host) + ":" + actualPort);
        out.flush();
        main.lifetime().runUntilStopped(List.of(() -> Blocking.await(vertx.close())));
        return 0;
    }

    /**
     * One server per core on the same port: Vert.x spreads connections across their event loops, so the fake
     * upstream is not what limits a benchmark. Only servers started in verticles share a port, and never port
     * 0, so a free port is chosen up front when asked for 0.
     */
    private int listenOnEveryCore(Vertx vertx) {
        DemoUpstream.Options options = new DemoUpstream.Options(delayMs, null);
        int listenPort = port == 0 ? freePort() : port;
        Blocking.await(vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return DemoUpstream.start(vertx, host, listenPort, options);
            }
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())));
        return listenPort;
    }

    private int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
