package org.clubanonymiser.export;

/** An export record with its {@link ExportReview}, as {@link ExportRecords#listReviewed(ExportFilter)} lists it. */
public record ReviewedExport(ExportRecord export, ExportReview review) {
}
