package io.gatehouse.policy;

/** How rejections repeat what the client sent. */
final class Messages {
    /** Enough to recognise a value; the rest of a long one would only swell the error. */
    private static final int SHOWN_CHARS = 100;

    private Messages() {
    }

    /** Client text as an error message repeats it: cut to {@value #SHOWN_CHARS} characters. */
    static String shorten(String clientText) {
        return clientText.length() > SHOWN_CHARS ? clientText.substring(0, SHOWN_CHARS) + "…" : clientText;
    }
}
