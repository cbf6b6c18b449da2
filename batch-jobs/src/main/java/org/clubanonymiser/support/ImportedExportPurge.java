package org.clubanonymiser.support;

/**
 * Purges an export once an import of it has completed (SPEC §3, §4): its file is deleted and its manifest keeps the
 * member ids only (row values and fingerprints erased: a hash of a name is still personal data). Implemented by the
 * export feature, called by the import's completion step: a contract in {@code support} so that neither job imports
 * the other. Idempotent (a restarted completion step calls it again); the database part joins the caller's
 * transaction.
 */
public interface ImportedExportPurge {

    void purgeAfterImport(long exportId);
}
