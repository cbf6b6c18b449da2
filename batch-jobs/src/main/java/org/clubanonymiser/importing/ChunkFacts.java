package org.clubanonymiser.importing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Prepares each chunk of the anonymising step, set-based, before it is processed and inside its transaction:
 * <ol>
 * <li><b>Claims</b>: records, for each member id the chunk names, the first row of the import that named it (table
 * {@code anonymisation_import_claim}; rows in order, earlier chunks' claims kept), which is what makes a later row a
 * {@code DUPLICATE_ROW}, within a chunk or across chunks. A rolled-back chunk leaves no claim behind, so a restart is
 * exact.</li>
 * <li><b>Facts</b>: loads, in one query, the member facts (member, activity, manifest entry, earlier claim) of every
 * member the chunk names, and serves them to {@link RowValidator} as its {@link RowValidator.Facts}: a query and an
 * insert batch per chunk instead of two queries per row.</li>
 * </ol>
 * The loaded facts are bound to the chunk's transaction and dropped when it completes; a lookup outside a prepared
 * chunk (or for an id the chunk did not name) falls back to the database, row by row. The writer re-checks
 * eligibility in its own UPDATE, so facts read at the start of the chunk are never the last word. Thread-safe (one
 * cache per transaction).
 */
class ChunkFacts implements ChunkListener<UploadedRow, ValidatedRow>, RowValidator.Facts {

    private record Loaded(Map<Long, Long> firstRows, Map<Long, RowValidator.MemberFacts> members, Set<Long> ids) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    private final long importId;

    private final long exportId;

    private final JdbcRowFacts fallback;

    ChunkFacts(NamedParameterJdbcTemplate jdbc, long importId, long exportId) {
        this.jdbc = jdbc;
        this.importId = importId;
        this.exportId = exportId;
        this.fallback = new JdbcRowFacts(jdbc.getJdbcTemplate(), importId, exportId);
    }

    @Override
    public void beforeChunk(Chunk<UploadedRow> chunk) {
        Map<Long, Long> candidates = new LinkedHashMap<>();
        for (UploadedRow row : chunk) {
            Long memberId = RowValidator.wholeNumber(row.memberId());
            if (memberId != null) {
                candidates.putIfAbsent(memberId, row.rowNumber());
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        MapSqlParameterSource params = new MapSqlParameterSource("importId", importId)
            .addValue("exportId", exportId)
            .addValue("ids", candidates.keySet());
        Map<Long, RowValidator.MemberFacts> members = new HashMap<>();
        Map<Long, Long> firstRows = new HashMap<>();
        jdbc.query(JdbcRowFacts.memberSql("m.id in (:ids)", ":exportId", ":importId"), params, rs -> {
            long id = rs.getLong("id");
            members.put(id, JdbcRowFacts.memberFacts(rs));
            Long claimed = JdbcRowFacts.claimedRow(rs);
            if (claimed != null) {
                firstRows.put(id, claimed);
            }
        });
        List<MapSqlParameterSource> claims = new ArrayList<>();
        candidates.forEach((memberId, rowNumber) -> {
            if (!members.containsKey(memberId)) {
                // Not a member (an unknown id, rare): its earlier claim, if any, is looked up on its own.
                fallback.firstRowNaming(memberId).ifPresent(row -> firstRows.put(memberId, row));
            }
            if (!firstRows.containsKey(memberId)) {
                firstRows.put(memberId, rowNumber);
                claims.add(new MapSqlParameterSource("importId", importId).addValue("memberId", memberId)
                    .addValue("rowNumber", rowNumber));
            }
        });
        if (!claims.isEmpty()) {
            jdbc.batchUpdate("""
                    insert into anonymisation_import_claim (import_id, member_id, row_number)
                    values (:importId, :memberId, :rowNumber)""", claims.toArray(MapSqlParameterSource[]::new));
        }
        bind(new Loaded(firstRows, members, new HashSet<>(candidates.keySet())));
    }

    private void bind(Loaded loaded) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.unbindResourceIfPossible(this);
        TransactionSynchronizationManager.bindResource(this, loaded);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(ChunkFacts.this);
            }
        });
    }

    private Loaded loaded(long memberId) {
        Object loaded = TransactionSynchronizationManager.getResource(this);
        return loaded instanceof Loaded chunk && chunk.ids().contains(memberId) ? chunk : null;
    }

    @Override
    public OptionalLong firstRowNaming(long memberId) {
        Loaded chunk = loaded(memberId);
        if (chunk == null) {
            return fallback.firstRowNaming(memberId);
        }
        Long row = chunk.firstRows().get(memberId);
        return row == null ? OptionalLong.empty() : OptionalLong.of(row);
    }

    @Override
    public Optional<RowValidator.MemberFacts> member(long memberId) {
        Loaded chunk = loaded(memberId);
        return chunk == null ? fallback.member(memberId) : Optional.ofNullable(chunk.members().get(memberId));
    }
}
