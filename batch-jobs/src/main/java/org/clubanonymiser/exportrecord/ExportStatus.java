package org.clubanonymiser.exportrecord;

/** An export record's status ({@code anonymisation_export.status}). */
public enum ExportStatus {
    /** The job is running (or died: a relaunch recovers it). */
    RUNNING,
    /** The file is in {@code exports/} (until its import completes or its retention ends). */
    COMPLETED,
    /** The job failed; relaunching it with the same parameters resumes it. */
    FAILED,
    /** Deleted by a user: file removed, manifest values erased. */
    DELETED
}
