package org.clubanonymiser.support.database;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.ValidateOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Migrations edited after they were released, in their comments only. Flyway's checksum covers every line, comments
 * included, so a database migrated with the released text would refuse to start ("checksum mismatch"). For exactly
 * these versions, and only when the database holds the checksum of the released text, the recorded checksum is
 * realigned ({@code flyway repair}) before migrating; any other mismatch — a real edit of an applied migration, a
 * failed migration — still stops the start-up, as Flyway would.
 */
public final class ReleasedMigrationEdits implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(ReleasedMigrationEdits.class);

    /**
     * Version → the checksums of its released texts (one per platform folder). Edits: the comments of V1, V6_1 and
     * V10_2 (H2 and PostgreSQL) stopped citing a document outside the repository.
     */
    public static final Map<String, Set<Integer>> RELEASED_CHECKSUMS = Map.of(
            "1", Set.of(504321313),
            "6.1", Set.of(-690002408),
            "10.2", Set.of(455745311, 938586643));

    @Override
    public void migrate(Flyway flyway) {
        List<ValidateOutput> mismatches = flyway.validateWithResult().invalidMigrations.stream()
            .filter(invalid -> invalid.errorDetails.errorCode != CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED)
            .toList();
        if (!mismatches.isEmpty() && mismatches.stream().allMatch(invalid -> isReleasedEdit(flyway, invalid))) {
            log.warn("Migrations {} were applied from a text that has since changed in its comments only:"
                    + " realigning their recorded checksums", mismatches.stream().map(m -> m.version).toList());
            flyway.repair();
        }
        flyway.migrate();
    }

    private static boolean isReleasedEdit(Flyway flyway, ValidateOutput invalid) {
        if (invalid.errorDetails.errorCode != CoreErrorCode.CHECKSUM_MISMATCH) {
            return false;
        }
        Set<Integer> released = RELEASED_CHECKSUMS.getOrDefault(invalid.version, Set.of());
        for (MigrationInfo applied : flyway.info().applied()) {
            if (applied.getVersion() != null && Objects.equals(applied.getVersion().getVersion(), invalid.version)) {
                return released.contains(applied.getChecksum());
            }
        }
        return false;
    }
}
