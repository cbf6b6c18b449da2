package org.clubanonymiser.exportrecord;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the export job and of the export files' life ({@code anonymiser.export.*}).
 *
 * @param chunkSize      members read, judged and recorded in the manifest per transaction, and page size of the
 *                       readers (default 1000)
 * @param retention      an export's file is deleted, and its manifest's personal values erased, this long after the
 *                       export was created, unless its import completed earlier (default 30 days); an import of an
 *                       older export is refused as {@code EXPORT_EXPIRED}
 * @param workbookWindow rows of the workbook kept in memory while it is written; older rows are flushed to a
 *                       compressed temp file in the product's temp dir (default 100)
 */
@Validated
@ConfigurationProperties("anonymiser.export")
public record ExportProperties(
        @Min(1) @Max(100_000) @DefaultValue("1000") int chunkSize,
        @NotNull @DefaultValue("30d") Duration retention,
        @Min(10) @Max(10_000) @DefaultValue("100") int workbookWindow) {
}
