package org.clubanonymiser.anonymisation;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

/**
 * The plan against the database's own metadata (JDBC {@link DatabaseMetaData}, i.e. INFORMATION_SCHEMA on H2 and
 * PostgreSQL): every table of the current schema with a {@code member_id} column, and {@code member} itself, must be
 * in the {@link AnonymisationPlan} or one of its product records, and every column of a planned table must be
 * declared (and every declared column must exist).
 */
final class PlanSchemaCheck {

    private PlanSchemaCheck() {
    }

    /** What the plan does not cover, as {@code table.column} (or {@code table}), sorted; empty when all is planned. */
    static List<String> gaps(DataSource dataSource, AnonymisationPlan plan) throws SQLException {
        Map<String, Set<String>> schema = columns(dataSource);
        List<String> gaps = new ArrayList<>();
        schema.forEach((table, columns) -> {
            boolean memberData = table.equals("member") || columns.contains("member_id");
            Optional<AnonymisationPlan.Table> planned = plan.table(table);
            if (planned.isEmpty()) {
                if (memberData && !plan.productRecords().containsKey(table)) {
                    gaps.add(table + " (a table of member data the plan does not know)");
                }
                return;
            }
            columns.stream().filter(column -> planned.get().column(column).isEmpty())
                .forEach(column -> gaps.add(table + "." + column));
            planned.get().columns().stream().map(c -> c.name()).filter(column -> !columns.contains(column))
                .forEach(column -> gaps.add(table + "." + column + " (declared, not in the database)"));
        });
        plan.tables().stream().map(t -> t.name()).filter(table -> !schema.containsKey(table))
            .forEach(table -> gaps.add(table + " (declared, not in the database)"));
        return gaps;
    }

    private static Map<String, Set<String>> columns(DataSource dataSource) throws SQLException {
        Map<String, Set<String>> tables = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet rs = metaData.getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT), t -> new TreeSet<>())
                        .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }
}
