package org.clubanonymiser.importing;

/**
 * Purges an export once an import of it has completed (SPEC §3, §4): its file is deleted and its manifest keeps the
 * member ids only (row values and fingerprints erased: a hash of a name is still personal data). The export feature
 * owns the real purge; until both are merged the import ships {@link JdbcImportedExportCleaner}. Must be idempotent
 * (a restarted completion step calls it again) and run in the caller's transaction for the database part.
 */
public interface ImportedExportCleaner {

    void purgeImportedExport(long exportId);
}
