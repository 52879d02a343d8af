package io.gatehouse.recording;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Recordings hold prompts, answers and headers, so only their owner may read them: folders are created 0700 and
 * files 0600, with the permissions given at creation (there is no moment in which a file is readable by others).
 * On a file system without POSIX permissions the files are created with its defaults.
 */
final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private PrivateFiles() {
    }

    /** Creates the folder and any missing parents owner-only; an existing folder keeps its permissions. */
    static Path directory(Path directory) throws IOException {
        if (POSIX) {
            Files.createDirectories(directory, OWNER_ONLY_DIRECTORY);
        } else {
            Files.createDirectories(directory);
        }
        return directory;
    }

    /** Opens {@code file} for appending, creating it owner-only when it does not exist. */
    static FileChannel append(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Opens {@code file} for reading and writing anywhere in it, creating it owner-only when it does not exist. */
    static FileChannel readWrite(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Creates a new owner-only file; fails when it exists. */
    static FileChannel createNew(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new LinkedHashSet<>(java.util.List.of(options));
        return POSIX ? FileChannel.open(file, set, OWNER_ONLY_FILE) : FileChannel.open(file, set);
    }

    /** Forces a file that was written and closed to the disk. */
    static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
