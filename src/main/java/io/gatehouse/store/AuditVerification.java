package io.gatehouse.store;

/**
 * The verdict on an audit chain.
 *
 * @param entries  entries checked
 * @param brokenAt the seq at which the chain first fails (for the file: its line number when the line is
 *                 unreadable); null when intact
 * @param problem  what is wrong there; null when intact
 */
public record AuditVerification(String source, long entries, Long brokenAt, String problem) {
    public boolean intact() {
        return problem == null;
    }

    static AuditVerification intact(String source, long entries) {
        return new AuditVerification(source, entries, null, null);
    }

    static AuditVerification broken(String source, long entries, long at, String problem) {
        return new AuditVerification(source, entries, at, problem);
    }

    @Override
    public String toString() {
        return intact() ? source + ": " + entries + " entries, chain intact"
                : source + ": chain broken at " + brokenAt + ": " + problem;
    }
}
