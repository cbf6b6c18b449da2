package org.clubanonymiser.support;

import java.util.OptionalLong;

/**
 * Purges an export once an import of it has completed (SPEC §3, §4): its file is deleted and its manifest keeps the
 * member ids only (row values and fingerprints erased: a hash of a name is still personal data). Implemented by the
 * export feature, called by the import's completion step: a contract in {@code support} so that neither job imports
 * the other.
 */
public interface ImportedExportPurge {

    /**
     * One slice of the purge, in the caller's transaction: deletes the file (idempotent), erases the manifest values
     * of at most {@code limit} members after {@code afterMemberId} (the first slice starts after
     * {@link Long#MIN_VALUE}), and after the last slice records the file as deleted. Idempotent: a restarted
     * completion starts again from the first slice.
     *
     * @return the member id to continue after, empty once the export is purged
     */
    OptionalLong purgeAfterImport(long exportId, long afterMemberId, int limit);
}
