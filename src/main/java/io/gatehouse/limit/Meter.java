package io.gatehouse.limit;

/** What a counter counts. */
enum Meter {
    REQUESTS("requests"),
    TOKENS("tokens"),
    /** Spend in nano-USD: whole numbers, so counters add up exactly however many calls they see. */
    SPEND("budget");

    private final String label;

    Meter(String label) {
        this.label = label;
    }

    /** The word in counter keys and in the {@code kind} label of metrics. */
    String label() {
        return label;
    }
}
