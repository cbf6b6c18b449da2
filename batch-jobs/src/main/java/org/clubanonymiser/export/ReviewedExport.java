package org.clubanonymiser.export;

import org.clubanonymiser.exportrecord.ExportRecord;

/** An export record with its {@link ExportResolution}, as {@link ExportRecords#listReviewed(ExportFilter)} lists it. */
public record ReviewedExport(ExportRecord export, ExportResolution resolution) {
}
