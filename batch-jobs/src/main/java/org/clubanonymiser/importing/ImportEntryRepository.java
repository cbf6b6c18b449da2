package org.clubanonymiser.importing;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.Repository;

/**
 * The import records ({@code anonymisation_import}) and their rejections as the web reads them: one import, the
 * import an execution created, the rejected rows per code, and the last restart. Rows are created and counted by the
 * job ({@link ImportRecords}, plain JDBC in the chunk transactions), never saved through this repository.
 */
public interface ImportEntryRepository extends Repository<ImportEntry, Long> {

    /** The rejected rows of an import per code (the informational ALREADY_ANONYMISED included), by code. */
    record RejectionCount(String code, long total) {
    }

    Optional<ImportEntry> findById(long id);

    /** The record an execution of the import job created (its gate step ties the record to the execution). */
    Optional<ImportEntry> findByJobInstanceIdAndJobExecutionId(long jobInstanceId, long jobExecutionId);

    @Query("""
            select code, count(*) as total from anonymisation_import_rejection where import_id = :importId
            group by code order by code""")
    List<RejectionCount> countRejectionsByCode(long importId);

    /** Records who restarted the import, and when (the database's clock, as the job's own timestamps). */
    @Modifying
    @Query("update anonymisation_import set restarted_by = :username, restarted_at = current_timestamp where id = :id")
    void recordRestart(long id, String username);
}
