package org.clubanonymiser.export;

/**
 * What became of an export's rows through its imports (dry runs excluded), as the export list shows it. Nothing
 * personal: counts only.
 *
 * @param exported   rows of the exported file; {@code null} until the export has completed
 * @param anonymised members of the export anonymised by its imports
 * @param rejected   rows the export's latest import rejected, {@code ALREADY_ANONYMISED} (informational) aside
 * @param open       members still awaiting a decision that an import of this export can make: neither anonymised
 *                   nor kept as no longer eligible, while the export can still be imported (completed, its file not
 *                   deleted: not deleted, expired or fully resolved); {@code null} until the export has completed
 */
public record ExportReview(Long exported, long anonymised, long rejected, Long open) {

    /**
     * @param kept members an import of the export reported {@code NO_LONGER_ELIGIBLE} and that were not anonymised
     *             since
     */
    public static ExportReview of(ExportRecord export, long anonymised, long rejected, long kept) {
        Long exported = export.status() == ExportStatus.RUNNING || export.status() == ExportStatus.FAILED ? null
                : export.rowCount();
        Long open = null;
        if (exported != null) {
            boolean importable = export.status() == ExportStatus.COMPLETED && export.fileDeletedAt() == null;
            open = importable ? Math.max(0, exported - anonymised - kept) : 0L;
        }
        return new ExportReview(exported, anonymised, rejected, open);
    }
}
