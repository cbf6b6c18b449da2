package org.clubanonymiser.importing;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of {@code anonymisation_import} as the web reads it outside the job: which execution it belongs to, how it
 * ended, its error file, who restarted it. Nothing personal. The job itself writes the row with plain JDBC
 * ({@link ImportRecords}: its counters move inside the chunk transactions, one set-based update per chunk).
 *
 * @param errorFile   name of the error file in {@code <storage-dir>/errors/}, when rows were rejected
 * @param restartedBy who restarted the import last ({@code null}: never restarted)
 */
@Table("anonymisation_import")
public record ImportEntry(@Id long id, Long jobInstanceId, Long jobExecutionId, String status, String failureCode,
        String errorFile, String requestedBy, String restartedBy) {
}
