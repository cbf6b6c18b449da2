package org.clubanonymiser.support.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/** The three databases the product runs on, recognised from JDBC metadata. */
public enum DatabasePlatform {

    H2("h2", "common"),
    POSTGRESQL("postgresql", "common"),
    ORACLE("oracle", "oracle");

    private final String batchScriptSuffix;

    private final String migrationFolder;

    DatabasePlatform(String batchScriptSuffix, String migrationFolder) {
        this.batchScriptSuffix = batchScriptSuffix;
        this.migrationFolder = migrationFolder;
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
     * Every folder of this platform's migrations under {@code db/migration}: the shared one, plus, for H2 and
     * PostgreSQL, a folder of their own for what their SQL cannot share (triggers: a Java class on H2, plpgsql on
     * PostgreSQL). A version appears in one folder only per platform.
     */
    public List<String> migrationFolders() {
        return this == ORACLE ? List.of(migrationFolder)
                : List.of(migrationFolder, name().toLowerCase(Locale.ROOT));
    }

    public static DatabasePlatform of(Connection connection) throws SQLException {
        return fromProductName(connection.getMetaData().getDatabaseProductName());
    }

    public static DatabasePlatform of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the database's product name", ex);
        }
    }

    static DatabasePlatform fromProductName(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("oracle")) {
            return ORACLE;
        }
        throw new IllegalStateException("Unsupported database: " + productName + " (H2, PostgreSQL or Oracle)");
    }
}
