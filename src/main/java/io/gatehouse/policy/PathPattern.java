package io.gatehouse.policy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code allowed_paths} entry: a path prefix compared segment by segment, each segment a {@link Glob}. It admits
 * the path itself and everything below it, so {@code /v1/models} admits {@code /v1/models} and
 * {@code /v1/models/gpt-4o} but not {@code /v1/modelsX}; {@code /v1/*}{@code /messages} admits
 * {@code /v1/anything/messages}. A trailing slash in the pattern changes nothing.
 *
 * <p>Paths are compared as sent, except that a segment with percent-escapes is compared decoded. Callers refuse
 * {@linkplain #isAmbiguous ambiguous} paths first, which an upstream could resolve to a path outside the prefix.
 */
final class PathPattern {
    private final String pattern;
    private final Glob[] segments;

    private PathPattern(String pattern, Glob[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    static PathPattern compile(String pattern) {
        List<Glob> segments = new ArrayList<>();
        for (String segment : pattern.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(Glob.compile(segment));
            }
        }
        return new PathPattern(pattern, segments.toArray(Glob[]::new));
    }

    String pattern() {
        return pattern;
    }

    /** Whether {@code path} (starting with '/', without query) is this prefix or lies below it. */
    boolean matches(String path) {
        int start = 1;
        for (Glob segment : segments) {
            if (start > path.length()) {
                return false;
            }
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (hasEscape(path, start, end)) {
                if (!segment.matches(percentDecode(path, start, end))) {
                    return false;
                }
            } else if (!segment.matches(path, start, end)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * True when some segment of the path is {@code .} or {@code ..} (after decoding) or holds a backslash or an
     * escaped slash: shapes an upstream may resolve differently from how they read here.
     */
    static boolean isAmbiguous(String path) {
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (hasEscape(path, start, end) ? isDotOrSlashed(percentDecode(path, start, end))
                    : isDotOrSlashed(path, start, end)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isDotOrSlashed(String segment) {
        return isDotOrSlashed(segment, 0, segment.length()) || segment.indexOf('/') >= 0;
    }

    private static boolean isDotOrSlashed(String path, int start, int end) {
        int length = end - start;
        if ((length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(end - 1) == '.') {
            return true;
        }
        for (int i = start; i < end; i++) {
            if (path.charAt(i) == '\\') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasEscape(String path, int start, int end) {
        int percent = path.indexOf('%', start);
        return percent >= 0 && percent < end;
    }

    /** {@code %XX} escapes decoded as UTF-8 bytes; a malformed escape stays as written. */
    private static String percentDecode(String path, int start, int end) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            int high = i + 2 < end ? Character.digit(path.charAt(i + 1), 16) : -1;
            int low = i + 2 < end ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
