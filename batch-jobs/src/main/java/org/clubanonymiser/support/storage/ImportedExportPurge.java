package org.clubanonymiser.support.storage;

import java.util.OptionalLong;
import java.util.Set;

/**
 * Resolves an export's manifest once an import of it has completed: each member still open becomes
 * anonymised, no longer eligible, kept (no row of the import named it) or stays open (the import rejected its row for
 * a reason the admin can correct). Resolved rows keep their member id only (values and fingerprints erased: a hash of
 * a name is still personal data); open rows keep their values for a corrected import. Once no row is open, the
 * export's file is deleted and the export is resolved: it may not be imported again. Implemented by the export
 * feature, called by the import's completion step: a contract in {@code support} so that neither job imports the
 * other.
 */
public interface ImportedExportPurge {

    /**
     * One slice, in the caller's transaction: resolves and erases the open manifest rows of at most {@code limit}
     * members after {@code afterMemberId} (the first slice starts after {@link Long#MIN_VALUE}); after the last slice,
     * when no row of the export is open any more, deletes the file (idempotent) and records the file deleted and the
     * export resolved. Idempotent: a restarted completion starts again from the first slice and resolves the same way
     * (the import's rejections are committed, rows already resolved are left as they are).
     *
     * @param importId     the completed import, whose rejections tell which members stay open
     * @param openingCodes the rejection codes ({@code anonymisation_import_rejection.code}) that leave a member open
     * @return the member id to continue after, empty once the last slice is done
     */
    OptionalLong resolveAfterImport(long exportId, long importId, Set<String> openingCodes, long afterMemberId,
            int limit);
}
