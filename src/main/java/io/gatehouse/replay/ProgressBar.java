package io.gatehouse.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A one-line progress bar for a terminal, redrawn in place: {@code [=========>          ] 12/40  30%  POST /v1/…}.
 * A disabled bar draws nothing, for output that is not a terminal (logs, pipes, CI) or when asked to be quiet.
 * Log lines share the terminal, so the bar is erased before each call and drawn again after it.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final int MAX_LABEL = 50;
    /** Carriage return, then ANSI "erase the whole line". */
    private static final String ERASE_LINE = "\r\u001b[2K";

    private final PrintWriter out;
    private final boolean enabled;
    private final int total;
    private int done;

    public ProgressBar(PrintWriter out, int total, boolean enabled) {
        this.out = out;
        this.total = total;
        this.enabled = enabled && total > 0;
    }

    /**
     * True when this process's standard error is a terminal. On Linux that is read from {@code /proc/self/fd/2};
     * elsewhere a console attached to the process stands in for it.
     */
    public static boolean stderrIsTerminal() {
        Path stderr = Path.of("/proc/self/fd/2");
        if (Files.exists(stderr, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(stderr).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** Erases the bar so other output can take the line. */
    void clear() {
        if (enabled) {
            out.print(ERASE_LINE);
            out.flush();
        }
    }

    /** Counts one call done and draws the bar with what was done last. */
    void step(String label) {
        done = Math.min(total, done + 1);
        if (!enabled) {
            return;
        }
        int filled = WIDTH * done / total;
        StringBuilder line = new StringBuilder(ERASE_LINE).append('[');
        line.append("=".repeat(Math.max(0, filled - 1))).append(filled == 0 ? "" : filled == WIDTH ? "=" : ">");
        line.append(" ".repeat(WIDTH - filled)).append("] ").append(done).append('/').append(total);
        line.append(String.format(" %3d%%  ", 100 * done / total));
        line.append(label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 1) + "…" : label);
        out.print(line);
        out.flush();
    }

    /** Ends the bar's line, leaving it on screen. */
    void finish() {
        if (enabled) {
            out.println();
            out.flush();
        }
    }
}
