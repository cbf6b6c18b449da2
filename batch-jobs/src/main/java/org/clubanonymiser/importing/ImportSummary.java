package org.clubanonymiser.importing;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one line that says how an import's rows ended, stored on the import record ({@code summary}), shown by its
 * page, used as the job's exit description and logged: how many rows were rejected, for which codes. When every row
 * was rejected for the same code, it says so loudly, with the likely cause: such a file was not reviewed row by row,
 * it was edited throughout, saved by a program the import cannot read, or marked all over. Codes and counts only,
 * never a name. Stateless.
 */
final class ImportSummary {

    private ImportSummary() {
    }

    /**
     * @param rejectedByCode the rejected rows per code
     * @return the summary, or {@code null} when no row was rejected
     */
    static String of(long rowsRead, Map<String, Long> rejectedByCode) {
        long rejected = rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
        if (rejected == 0) {
            return null;
        }
        if (rejectedByCode.size() == 1 && rejected == rowsRead) {
            String code = rejectedByCode.keySet().iterator().next();
            return "All " + rowsRead + " rows rejected: " + code + " \u2014 " + likelyCause(code);
        }
        return rejected + " of " + rowsRead + " rows rejected (" + rejectedByCode.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .map(entry -> entry.getValue() + " " + entry.getKey())
            .collect(Collectors.joining(", ")) + "); their members were kept";
    }

    /** True for the loud form: every row rejected for one code. */
    static boolean isWholeFileRejected(String summary) {
        return summary != null && summary.startsWith("All ");
    }

    private static String likelyCause(String code) {
        return switch (code) {
            case "CONTENT_MODIFIED" -> "was the file edited or saved by an unsupported program?";
            case "MARKED_ROW" -> "were all the rows coloured or commented? Delete the rows of the members to keep"
                    + " instead.";
            case "EXTRA_CONTENT" -> "was a column added beside the data? Remove it and save again.";
            case "NOT_IN_EXPORT", "UNKNOWN_MEMBER", "OTHER_CLUB" -> "is this the workbook of this export?";
            case "ALREADY_ANONYMISED" -> "this export was already imported.";
            case "NO_LONGER_ELIGIBLE" -> "the members came back since the export: run a new export.";
            default -> "check the file against the export.";
        };
    }
}
