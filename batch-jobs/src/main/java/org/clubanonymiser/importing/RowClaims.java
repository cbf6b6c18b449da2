package org.clubanonymiser.importing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records, for each row of a chunk that names a member id, the first row of the import that named it (table
 * {@code anonymisation_import_claim}): what {@link RowValidator} reads to reject a {@code DUPLICATE_ROW}. Runs before
 * the chunk is processed and inside its transaction, in row order, one JDBC batch per chunk: so a duplicate is found
 * whether its first row is in an earlier chunk or earlier in the same one, and a rolled-back chunk leaves no claim
 * behind, which keeps restarts exact. Stateless and thread-safe.
 */
class RowClaims implements ChunkListener<UploadedRow, ValidatedRow> {

    private static final String CLAIM_SQL = """
            insert into anonymisation_import_claim (import_id, member_id, row_number)
            select ?, ?, ? from anonymisation_import i
            where i.id = ? and not exists
                (select 1 from anonymisation_import_claim c where c.import_id = ? and c.member_id = ?)""";

    private final JdbcTemplate jdbc;

    private final long importId;

    RowClaims(JdbcTemplate jdbc, long importId) {
        this.jdbc = jdbc;
        this.importId = importId;
    }

    @Override
    public void beforeChunk(Chunk<UploadedRow> chunk) {
        List<Object[]> claims = new ArrayList<>(chunk.size());
        Set<Long> inChunk = new HashSet<>();
        for (UploadedRow row : chunk) {
            Long memberId = RowValidator.wholeNumber(row.memberId());
            // The first row of the chunk naming a member claims it; the statement's NOT EXISTS covers earlier chunks.
            if (memberId != null && inChunk.add(memberId)) {
                claims.add(new Object[] { importId, memberId, row.rowNumber(), importId, importId, memberId });
            }
        }
        if (!claims.isEmpty()) {
            jdbc.batchUpdate(CLAIM_SQL, claims);
        }
    }
}
