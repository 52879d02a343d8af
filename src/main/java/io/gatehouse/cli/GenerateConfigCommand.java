package io.gatehouse.cli;

import io.gatehouse.config.ExampleConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

@Command(name = "generate-config", mixinStandardHelpOptions = true,
        description = "Write a commented example configuration with every key and its default.")
final class GenerateConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Where to write the YAML file.")
    private Path path;

    @Option(names = "--force", description = "Overwrite PATH if it exists.")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (Files.exists(path) && !force) {
            err.println("✗ " + path + " already exists; use --force to overwrite it");
            err.flush();
            return 1;
        }
        try {
            write(path, ExampleConfig.yaml());
        } catch (IOException e) {
            err.println("✗ cannot write " + path + ": " + e);
            err.flush();
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("✓ Wrote an example configuration to " + path);
        out.println("  Check it:  gatehouse validate-config " + path);
        out.println("  Start it:  gatehouse run --config " + path);
        out.flush();
        return 0;
    }

    /** Owner-only (0600): users are likely to paste a key into it despite the advice inside. */
    private static void write(Path path, String text) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(path, text, StandardCharsets.UTF_8);
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
