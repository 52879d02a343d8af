package io.gatehouse.replay;

/**
 * One way a live response differs from the recorded one.
 *
 * @param where    {@code status}, {@code body}, or the JSON path of a changed value ({@code $.choices[0].message.content})
 * @param recorded the recorded value, rendered short; {@code (absent)} when there was none
 * @param live     the live value, likewise
 */
record Difference(String where, String recorded, String live) {
    static final String ABSENT = "(absent)";

    @Override
    public String toString() {
        return where + ": " + recorded + " → " + live;
    }
}
