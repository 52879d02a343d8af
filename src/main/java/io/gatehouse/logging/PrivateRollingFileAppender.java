package io.gatehouse.logging;

import ch.qos.logback.core.rolling.RollingFileAppender;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A rolling file appender whose files only their owner can read (0600): logs carry prompts and responses. The
 * file is created with those permissions before logback opens it, at start and after every rollover.
 */
final class PrivateRollingFileAppender<E> extends RollingFileAppender<E> {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Override
    public void openFile(String fileName) throws IOException {
        Path path = Path.of(fileName).toAbsolutePath();
        Files.createDirectories(path.getParent());
        if (Files.getFileAttributeView(path.getParent(), PosixFileAttributeView.class) != null) {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException existing) {
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            }
        }
        super.openFile(fileName);
    }
}
