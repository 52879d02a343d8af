package io.gatehouse.logging;

import ch.qos.logback.core.rolling.RollingPolicyBase;
import ch.qos.logback.core.rolling.RolloverFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rollover for {@code backup_count: 0}: no backups are kept, so a full log file is deleted and started afresh
 * (logback's fixed-window policy always keeps at least one).
 */
final class DiscardingRollingPolicy extends RollingPolicyBase {
    @Override
    public void rollover() throws RolloverFailure {
        try {
            Files.deleteIfExists(Path.of(getActiveFileName()));
        } catch (IOException e) {
            throw new RolloverFailure("cannot delete the full log file " + getActiveFileName());
        }
    }

    @Override
    public String getActiveFileName() {
        return getParentsRawFileProperty();
    }
}
