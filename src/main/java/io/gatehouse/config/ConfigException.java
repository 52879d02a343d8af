package io.gatehouse.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. Each problem names the key and the reason, and never contains the
 * value of a secret, so the message is safe to print and to log.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param path   the key at fault, e.g. {@code server.port}; empty when the problem concerns the whole file
     * @param reason what is wrong with it
     */
    public record Problem(String path, String reason) {
        @Override
        public String toString() {
            return path.isEmpty() ? reason : path + ": " + reason;
        }
    }

    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public static ConfigException at(ConfigPath path, String reason) {
        return new ConfigException(List.of(new Problem(path.toString(), reason)));
    }

    public static ConfigException ofFile(String reason) {
        return new ConfigException(List.of(new Problem("", reason)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
