package org.clubanonymiser.export;

import java.util.Map;

import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.AbstractSqlPagingQueryProvider;

/**
 * Keyset pages of one export's manifest rows ({@link ExportManifest#ROW_COLUMNS}) by member id, in portable SQL:2008
 * ({@code fetch first n rows only}: H2, PostgreSQL, Oracle 12c+).
 * <p>
 * Why not the framework's per-database providers: they order by the sort key alone ({@code order by member_id}).
 * With the filter {@code export_id = ?}, H2 reads the export's rows through the {@code (export_id, member_id)} primary
 * key but does not see that they already come in member id order: it reads every remaining row of the export and sorts
 * them, for every page, so rendering the workbook grew with the square of its rows (measured, 256,453 rows: 3m31s,
 * EXPLAIN ANALYZE {@code scanCount} 12,502 rows for a 1,000-row page in the middle of a 25k export). Ordering by
 * {@code export_id, member_id} — the same order, since the export is fixed — is the primary key itself: H2 reads
 * exactly one page ({@code scanCount: 1001}, "index sorted"). PostgreSQL plans both alike. The reader still knows one
 * unique sort key, {@code member_id}.
 */
class ManifestPagingQueryProvider extends AbstractSqlPagingQueryProvider {

    ManifestPagingQueryProvider() {
        setSelectClause("select " + ExportManifest.ROW_COLUMNS);
        setFromClause("from anonymisation_export_member");
        setWhereClause("where export_id = :exportId");
        setSortKeys(Map.of("member_id", Order.ASCENDING));
    }

    @Override
    public String generateFirstPageQuery(int pageSize) {
        return query("", pageSize);
    }

    @Override
    public String generateRemainingPagesQuery(int pageSize) {
        return query(" and member_id > " + getSortKeyPlaceHolder("member_id"), pageSize);
    }

    private String query(String after, int pageSize) {
        return "select " + getSelectClause() + " from " + getFromClause() + " where " + getWhereClause() + after
                + " order by export_id, member_id fetch first " + pageSize + " rows only";
    }
}
