package org.clubanonymiser.export;

import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExportReviewTests {

    static final LocalDateTime CREATED = LocalDateTime.of(2026, 12, 1, 10, 0);

    static ExportRecord export(ExportStatus status, Long rowCount, LocalDateTime fileDeletedAt) {
        return new ExportRecord(7, "December", 1, "PAR-01", 36, LocalDate.of(2026, 12, 1), LocalDate.of(2023, 12, 1),
                "admin", status, 100, 40, rowCount, "f.zip", "c", "w", 1, 3L, 4L, CREATED, CREATED, fileDeletedAt);
    }

    @Test
    void aCompletedExportNotYetImportedIsOpenForEveryRow() {
        assertThat(ExportReview.of(export(ExportStatus.COMPLETED, 40L, null), 0, 0, 0))
            .isEqualTo(new ExportReview(40L, 0, 0, 40L));
    }

    @Test
    void rowsAnonymisedOrKeptAsNoLongerEligibleAreNoLongerOpenWhileRejectedOnesAre() {
        assertThat(ExportReview.of(export(ExportStatus.COMPLETED, 40L, null), 35, 3, 2))
            .isEqualTo(new ExportReview(40L, 35, 3, 3L));
    }

    @Test
    void anExportThatCanNoLongerBeImportedHasNothingOpen() {
        assertThat(ExportReview.of(export(ExportStatus.COMPLETED, 40L, CREATED), 39, 1, 0).open()).isZero();
        assertThat(ExportReview.of(export(ExportStatus.DELETED, 40L, CREATED), 0, 0, 0).open()).isZero();
    }

    @Test
    void countsAreUnknownUntilTheExportHasCompleted() {
        assertThat(ExportReview.of(export(ExportStatus.RUNNING, null, null), 0, 0, 0))
            .isEqualTo(new ExportReview(null, 0, 0, null));
        assertThat(ExportReview.of(export(ExportStatus.FAILED, null, null), 0, 0, 0).open()).isNull();
    }

    @Test
    void openIsNeverNegative() {
        // Counts read from different tables: a clash never shows as a negative number.
        assertThat(ExportReview.of(export(ExportStatus.COMPLETED, 2L, null), 2, 0, 1).open()).isZero();
    }
}
