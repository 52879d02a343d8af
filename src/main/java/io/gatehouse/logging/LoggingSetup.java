package io.gatehouse.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingPolicyBase;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.gatehouse.config.LoggingConfig;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Configures Logback from the {@code logging:} block: level, text or JSON lines on stderr, and optionally a
 * size-rotated file (0600). Every encoder is wrapped in a {@link RedactingEncoder}, so no secret reaches a log.
 */
public final class LoggingSetup {
    /** {@code time level [thread] logger - message}, as in the default logback.xml. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** Networking libraries that are chatty below WARN. */
    private static final List<String> QUIET_LOGGERS = List.of("io.netty", "io.vertx");

    private LoggingSetup() {
    }

    /** Replaces the current Logback configuration; a no-op when SLF4J is not bound to Logback. */
    public static void apply(LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(config.level()));
        root.addAppender(console(context, config.format()));
        if (config.file() != null && !config.file().isBlank()) {
            root.addAppender(file(context, config));
        }
        for (String name : QUIET_LOGGERS) {
            context.getLogger(name).setLevel(Level.WARN);
        }
    }

    /** Python's names are accepted too: WARNING is WARN, CRITICAL is ERROR. */
    static Level level(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "WARNING" -> Level.WARN;
            case "CRITICAL" -> Level.ERROR;
            default -> Level.toLevel(name, Level.INFO);
        };
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String format) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("console");
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context, format));
        appender.start();
        return appender;
    }

    private static PrivateRollingFileAppender<ILoggingEvent> file(LoggerContext context, LoggingConfig config) {
        PrivateRollingFileAppender<ILoggingEvent> appender = new PrivateRollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(config.file());
        appender.setAppend(true);
        appender.setEncoder(encoder(context, config.format()));

        RollingPolicyBase rolling = config.backupCount() > 0 ? window(config) : new DiscardingRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.start();
        appender.setRollingPolicy(rolling);

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(config.maxFileSize()));
        // Check the size on every event rather than every 60 ms, so a burst cannot overshoot the limit.
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();
        appender.setTriggeringPolicy(trigger);

        appender.start();
        return appender;
    }

    /** {@code gatehouse.log.1} is the newest backup, {@code .N} the oldest, as with Python's RotatingFileHandler. */
    private static FixedWindowRollingPolicy window(LoggingConfig config) {
        FixedWindowRollingPolicy window = new FixedWindowRollingPolicy();
        window.setFileNamePattern(config.file() + ".%i");
        window.setMinIndex(1);
        window.setMaxIndex(config.backupCount());
        return window;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        Encoder<ILoggingEvent> inner;
        if ("json".equalsIgnoreCase(format)) {
            inner = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            text.setCharset(StandardCharsets.UTF_8);
            inner = text;
        }
        inner.setContext(context);
        RedactingEncoder redacting = new RedactingEncoder(inner);
        redacting.setContext(context);
        redacting.start();
        return redacting;
    }
}
