package org.clubanonymiser.privacy;

import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a privacy report covers: one import, one member's anonymisation (by member id: the ledger holds one row per
 * anonymised member), or the anonymisations of a period (days {@code from} to {@code to}, both included) in some
 * clubs (none listed: every club). Ids and dates only.
 */
public record ReportScope(Kind kind, Long importId, Long memberId, LocalDate from, LocalDate to, Set<Long> clubIds) {

    public enum Kind {
        IMPORT, MEMBER, PERIOD
    }

    public ReportScope {
        clubIds = clubIds == null ? Set.of() : Set.copyOf(new TreeSet<>(clubIds));
        switch (kind) {
            case IMPORT -> require(importId != null && memberId == null && from == null && to == null,
                    "an import report takes an import id only");
            case MEMBER -> require(memberId != null && importId == null && from == null && to == null,
                    "a member report takes a member id only");
            case PERIOD -> require(importId == null && memberId == null && from != null && to != null
                    && !to.isBefore(from), "a period report takes from <= to");
        }
    }

    public static ReportScope ofImport(long importId) {
        return new ReportScope(Kind.IMPORT, importId, null, null, null, Set.of());
    }

    public static ReportScope ofMember(long memberId) {
        return new ReportScope(Kind.MEMBER, null, memberId, null, null, Set.of());
    }

    public static ReportScope ofPeriod(LocalDate from, LocalDate to, Set<Long> clubIds) {
        return new ReportScope(Kind.PERIOD, null, null, from, to, clubIds);
    }

    /** The reports' file name without extension, from ids and dates only. */
    public String fileBaseName() {
        return switch (kind) {
            case IMPORT -> "privacy-import-" + importId;
            case MEMBER -> "privacy-member-" + memberId;
            case PERIOD -> "privacy-" + from + "-to-" + to + (clubIds.isEmpty() ? "-all-clubs"
                    : "-clubs-" + String.join("-", clubIds.stream().sorted().map(String::valueOf).toList()));
        };
    }

    /** One line saying what is covered (ids and dates). */
    public String describe() {
        return switch (kind) {
            case IMPORT -> "import " + importId;
            case MEMBER -> "anonymisation of member id " + memberId;
            case PERIOD -> "anonymisations from " + from + " to " + to + " (" + (clubIds.isEmpty() ? "every club"
                    : "club ids " + String.join(", ", clubIds.stream().sorted().map(String::valueOf).toList())) + ")";
        };
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid report scope: " + message);
        }
    }
}
