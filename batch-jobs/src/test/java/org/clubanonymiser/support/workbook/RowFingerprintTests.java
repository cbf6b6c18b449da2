package org.clubanonymiser.support.workbook;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RowFingerprintTests {

    private final ExportedRow row = new ExportedRow(42, "M0000042", "Durand", "Alice", "PROSPECT",
            LocalDate.of(2021, 3, 4), "VISIT", 44);

    @Test
    void isStableAndHex() {
        assertThat(RowFingerprint.of(7, row)).isEqualTo(RowFingerprint.of(7, row)).matches("[0-9a-f]{64}");
    }

    @Test
    void changesWithEveryExportedValueAndWithTheExport() {
        String reference = RowFingerprint.of(7, row);
        assertThat(RowFingerprint.of(8, row)).isNotEqualTo(reference);
        assertThat(RowFingerprint.of(7, new ExportedRow(43, "M0000042", "Durand", "Alice", "PROSPECT",
                LocalDate.of(2021, 3, 4), "VISIT", 44))).isNotEqualTo(reference);
        assertThat(RowFingerprint.of(7, new ExportedRow(42, "M0000042", "Durand", "Alicia", "PROSPECT",
                LocalDate.of(2021, 3, 4), "VISIT", 44))).isNotEqualTo(reference);
        assertThat(RowFingerprint.of(7, new ExportedRow(42, "M0000042", "Durand", "Alice", "PROSPECT",
                LocalDate.of(2021, 3, 5), "VISIT", 44))).isNotEqualTo(reference);
        assertThat(RowFingerprint.of(7, new ExportedRow(42, "M0000042", "Durand", "Alice", "PROSPECT",
                LocalDate.of(2021, 3, 4), "VISIT", 45))).isNotEqualTo(reference);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        ExportedRow a = new ExportedRow(1, "M1", "AB", "C", "PROSPECT", null, "NONE", 40);
        ExportedRow b = new ExportedRow(1, "M1", "A", "BC", "PROSPECT", null, "NONE", 40);
        assertThat(RowFingerprint.of(1, a)).isNotEqualTo(RowFingerprint.of(1, b));
    }

    @Test
    void toStringShowsNoName() {
        assertThat(row.toString()).doesNotContain("Durand", "Alice").contains("42");
    }
}
