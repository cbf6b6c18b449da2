package org.clubanonymiser.export;

import java.util.Map;

import org.clubanonymiser.eligibility.EligibilitySql;

import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.AbstractSqlPagingQueryProvider;

/**
 * Keyset pages by a unique key within one value of an index prefix ({@code where prefix = :parameter}), ordered by
 * {@code prefix, key}, in portable SQL:2008 ({@code fetch first n rows only}: H2, PostgreSQL, Oracle 12c+).
 * <p>
 * Why not the framework's per-database providers: they order by the sort key alone. With the prefix fixed by the
 * filter, H2 reads the rows through the {@code (prefix, key)} index but does not see that they already come in key
 * order: it reads every remaining row of that prefix and sorts them, for every page, so a read grows with the square
 * of its rows. Measured: 100k members of one club exported in 3 minutes (1,001 index entries per page instead of
 * 50,002 once fixed); a 256,453-row manifest rendered in 3m31s (EXPLAIN ANALYZE {@code scanCount} 12,502 for a
 * 1,000-row page, 1,001 once fixed). Ordering by {@code prefix, key} — the same order, since the prefix is fixed — is
 * the index itself. PostgreSQL plans both alike. The reader still knows one unique sort key, which it saves for
 * restarts.
 */
final class IndexPrefixPagingQueryProvider extends AbstractSqlPagingQueryProvider {

    private final String prefixColumn;

    private final String keyColumn;

    private final String sortKey;

    /**
     * @param sortKey the key column's name in the result set (unqualified: the reader reads the last value back by it)
     */
    private IndexPrefixPagingQueryProvider(String selectColumns, String from, String prefixColumn, String parameter,
            String keyColumn, String sortKey) {
        this.prefixColumn = prefixColumn;
        this.keyColumn = keyColumn;
        this.sortKey = sortKey;
        setSelectClause("select " + selectColumns);
        setFromClause("from " + from);
        setWhereClause("where " + prefixColumn + " = :" + parameter);
        setSortKeys(Map.of(sortKey, Order.ASCENDING));
    }

    /**
     * One club's members by id, with the activity of those whose standing does not already fail
     * ({@link EligibilitySql#CANDIDATE_ACTIVITY_COLUMNS}; parameters {@code :clubId}, {@code :cutoff}).
     */
    static IndexPrefixPagingQueryProvider clubMembers() {
        return new IndexPrefixPagingQueryProvider(EligibilitySql.CANDIDATE_ACTIVITY_COLUMNS, "member m", "m.club_id",
                "clubId", "m.id", "id");
    }

    /** One export's manifest rows ({@link ExportManifest#ROW_COLUMNS}) by member id: the primary key. */
    static IndexPrefixPagingQueryProvider manifestRows() {
        return new IndexPrefixPagingQueryProvider(ExportManifest.ROW_COLUMNS, "anonymisation_export_member",
                "export_id", "exportId", "member_id", "member_id");
    }

    @Override
    public String generateFirstPageQuery(int pageSize) {
        return query("", pageSize);
    }

    @Override
    public String generateRemainingPagesQuery(int pageSize) {
        return query(" and " + keyColumn + " > " + getSortKeyPlaceHolder(sortKey), pageSize);
    }

    private String query(String after, int pageSize) {
        return "select " + getSelectClause() + " from " + getFromClause() + " where " + getWhereClause() + after
                + " order by " + prefixColumn + ", " + keyColumn + " fetch first " + pageSize + " rows only";
    }
}
