package org.clubanonymiser.export;

import java.time.LocalDate;

import org.clubanonymiser.exportrecord.ExportStatus;

/**
 * Filters of the export list; {@code null} means "any".
 *
 * @param nameContains case-insensitive part of the export's name
 * @param createdFrom  created on or after this day
 * @param createdTo    created on or before this day
 */
public record ExportFilter(String nameContains, Long clubId, ExportStatus status, LocalDate createdFrom,
        LocalDate createdTo) {

    public static ExportFilter all() {
        return new ExportFilter(null, null, null, null, null);
    }
}
