package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * @param format      {@code text} or {@code json}
 * @param file        a log file, rotated by size; null logs to the console only
 * @param maxFileSize size at which the file rotates, e.g. {@code 10MB} (KB, MB, GB)
 * @param backupCount rotated files kept
 */
public record LoggingConfig(
        String level,
        String format,
        String file,
        @JsonProperty("max_file_size") String maxFileSize,
        @JsonProperty("backup_count") Integer backupCount) {

    public LoggingConfig {
        level = level == null ? "INFO" : level.toUpperCase(java.util.Locale.ROOT);
        format = format == null ? "text" : format;
        maxFileSize = maxFileSize == null ? "10MB" : maxFileSize;
        backupCount = backupCount == null ? 5 : backupCount;
    }
}
