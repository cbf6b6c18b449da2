package org.clubanonymiser.importing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImportSummaryTests {

    @Test
    void nothingToSayWhenNoRowWasRejected() {
        assertThat(ImportSummary.of(12, Map.of())).isNull();
        assertThat(ImportSummary.isWholeFileRejected(null)).isFalse();
    }

    @Test
    void countsTheRejectedRowsPerCodeMostFirst() {
        String summary = ImportSummary.of(12, Map.of("MARKED_ROW", 1L, "EXTRA_CONTENT", 1L, "CONTENT_MODIFIED", 3L));
        assertThat(summary).isEqualTo("5 of 12 rows rejected (3 CONTENT_MODIFIED, 1 EXTRA_CONTENT, 1 MARKED_ROW);"
                + " their members were kept");
        assertThat(ImportSummary.isWholeFileRejected(summary)).isFalse();
    }

    @Test
    void saysItLoudlyWhenEveryRowWasRejectedForTheSameCode() {
        String summary = ImportSummary.of(1010, Map.of("CONTENT_MODIFIED", 1010L));
        assertThat(summary).isEqualTo("All 1010 rows rejected: CONTENT_MODIFIED \u2014 was the file edited or saved by"
                + " an unsupported program?");
        assertThat(ImportSummary.isWholeFileRejected(summary)).isTrue();
        assertThat(ImportSummary.of(3, Map.of("CONTENT_MODIFIED", 2L, "MARKED_ROW", 1L))).startsWith("3 of 3 rows");
        assertThat(ImportSummary.of(3, Map.of("CONTENT_MODIFIED", 2L))).startsWith("2 of 3 rows");
    }
}
