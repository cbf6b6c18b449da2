package org.clubanonymiser.anonymisation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Objects;

import org.h2.api.Trigger;

/**
 * H2's half of the rule "a retired badge number can never be assigned again", installed on {@code badge}
 * by the migration {@code sql/h2/V10_2__retired_badge_guard.sql} (PostgreSQL and Oracle have the same rule in their
 * procedural SQL): an INSERT, or an UPDATE that changes {@code badge_number}, whose number is listed in
 * {@code retired_badge_number} fails with SQLState 23514. The refusal names the rule, never the number. H2 loads this
 * class itself, by name, into the JVM that runs the database (the application, or a TCP server on its classpath).
 */
public class RetiredBadgeNumberTrigger implements Trigger {

    /** Position of {@code badge_number} in the row arrays H2 passes, found once from the table's metadata. */
    private int badgeNumber = -1;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
            int type) throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (columns.next()) {
                if ("BADGE_NUMBER".equalsIgnoreCase(columns.getString("COLUMN_NAME"))) {
                    badgeNumber = columns.getInt("ORDINAL_POSITION") - 1;
                }
            }
        }
        if (badgeNumber < 0) {
            throw new SQLException("Trigger " + triggerName + ": no badge_number column in " + tableName);
        }
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null) {
            return;
        }
        Object number = newRow[badgeNumber];
        if (oldRow != null && Objects.equals(oldRow[badgeNumber], number)) {
            return;
        }
        try (PreparedStatement retired = connection.prepareStatement(
                "select 1 from retired_badge_number where badge_number = ?")) {
            retired.setObject(1, number);
            try (ResultSet found = retired.executeQuery()) {
                if (found.next()) {
                    throw new SQLIntegrityConstraintViolationException(
                            "badge number retired: it may never be assigned again (tr_badge_not_retired)", "23514");
                }
            }
        }
    }
}
