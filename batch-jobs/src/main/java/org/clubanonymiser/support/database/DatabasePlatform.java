package org.clubanonymiser.support.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

/**
 * The three SQL dialects the product speaks, recognised from the connection. The dialect is what the product's SQL
 * paths follow (which migrations, which Spring Batch script, how a reserved word is quoted). H2 in its Oracle
 * compatibility mode ({@code MODE=Oracle}) is ORACLE: the test leg that runs the Oracle migrations and the Oracle
 * SQL paths on H2. The engine underneath ({@link #runsOnH2}) matters only for what H2 cannot run whatever its mode
 * (PL/SQL, Oracle's physical storage clauses) and for H2's own file compaction.
 */
public enum DatabasePlatform {

    H2("h2", "common", "h2"),
    POSTGRESQL("postgresql", "common", "postgresql"),
    ORACLE("oracle", "oracle", "oracle-plsql");

    private final String batchScriptSuffix;

    private final String migrationFolder;

    private final String proceduralFolder;

    DatabasePlatform(String batchScriptSuffix, String migrationFolder, String proceduralFolder) {
        this.batchScriptSuffix = batchScriptSuffix;
        this.migrationFolder = migrationFolder;
        this.proceduralFolder = proceduralFolder;
    }

    /** Suffix of Spring Batch's own {@code schema-<suffix>.sql}. */
    public String batchScriptSuffix() {
        return batchScriptSuffix;
    }

    /** Folder of the business migrations under {@code db/migration}: H2 and PostgreSQL share one. */
    public String migrationFolder() {
        return migrationFolder;
    }

    /**
     * Every folder of this platform's migrations under {@code db/migration}: the dialect's tables, plus a folder
     * for what SQL cannot share (triggers): a Java class on the H2 engine (in any mode, so also under the Oracle
     * leg), plpgsql on PostgreSQL, PL/SQL on a real Oracle. A version appears in one folder only per platform.
     */
    public List<String> migrationFolders(boolean onH2Engine) {
        return List.of(migrationFolder, onH2Engine ? H2.proceduralFolder : proceduralFolder);
    }

    /**
     * A column name as this dialect's SQL must write it. Oracle reserves {@code NUMBER} (a type name), so its
     * migrations create {@code member_phone."NUMBER"}, and every statement must quote it the same way (upper case:
     * a quoted name is case-sensitive); H2 and PostgreSQL take it unquoted.
     */
    public String column(String name) {
        return this == ORACLE && ORACLE_RESERVED_COLUMNS.contains(name.toLowerCase(Locale.ROOT))
                ? '"' + name.toUpperCase(Locale.ROOT) + '"' : name;
    }

    /** The schema's column names that Oracle reserves. */
    private static final Set<String> ORACLE_RESERVED_COLUMNS = Set.of("number");

    /** The migration folders for this connection's dialect and engine. */
    public static List<String> migrationFolders(Connection connection) throws SQLException {
        return of(connection).migrationFolders(runsOnH2(connection));
    }

    public static DatabasePlatform of(Connection connection) throws SQLException {
        String productName = connection.getMetaData().getDatabaseProductName();
        return fromProduct(productName, isH2(productName) ? h2Mode(connection) : null);
    }

    public static DatabasePlatform of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the database's product name", ex);
        }
    }

    /** Whether the engine is H2, whatever SQL dialect it emulates. */
    public static boolean runsOnH2(Connection connection) throws SQLException {
        return isH2(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * The dialect of a product. H2's compatibility mode decides for H2: Oracle mode speaks Oracle (null ordering,
     * empty string as NULL, NUMBER read as BigDecimal, Oracle's functions); any other mode is H2's own SQL.
     */
    static DatabasePlatform fromProduct(String productName, String h2Mode) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (isH2(productName)) {
            return "oracle".equalsIgnoreCase(h2Mode) ? ORACLE : H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("oracle")) {
            return ORACLE;
        }
        throw new IllegalStateException("Unsupported database: " + productName + " (H2, PostgreSQL or Oracle)");
    }

    private static boolean isH2(String productName) {
        return productName.toLowerCase(Locale.ROOT).contains("h2");
    }

    /** H2's {@code MODE} setting ("REGULAR", "Oracle", "PostgreSQL", ...), as H2 itself reports it. */
    private static String h2Mode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery(
                        "select setting_value from information_schema.settings where setting_name = 'MODE'")) {
            return mode.next() ? mode.getString(1) : "REGULAR";
        }
    }
}
