package org.clubanonymiser.residue;

import java.util.List;
import java.util.Optional;

import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.support.database.ResidueMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The residue purge of the product database's platform. PostgreSQL: {@link PostgresResiduePurge} over
 * {@link ResidueTables}, then the markers it covered (read before it started) are deleted, in the step's transaction.
 * H2: nothing to do here, the file is compacted by {@code H2FileCompaction} when this process closes (and by a server
 * on its schedule) while markers are pending. Oracle: refused, with what to run instead. Runs whether or not markers
 * are pending (an import older than the markers may have left residue). Idempotent: run again, it rewrites the
 * tables again and changes nothing else.
 */
class ResiduePurgeTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ResiduePurgeTasklet.class);

    private final DatabasePlatform platform;

    private final PostgresResiduePurge postgres;

    private final ResidueMarkers markers;

    private final List<String> tables;

    ResiduePurgeTasklet(DatabasePlatform platform, PostgresResiduePurge postgres, ResidueMarkers markers,
            List<String> tables) {
        this.platform = platform;
        this.postgres = postgres;
        this.markers = markers;
        this.tables = tables;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Optional<ResidueMarkers.Pending> pending = markers.pending();
        log.info("Residue purge on {}: {} anonymisation marker(s) pending{}", platform,
                pending.map(ResidueMarkers.Pending::count).orElse(0L),
                pending.map(p -> " since " + p.oldest()).orElse(""));
        switch (platform) {
            case H2 -> log.info("Residue purge: on H2 the database file is compacted when this process closes");
            case ORACLE -> throw new IllegalStateException("Residue purge is not automated on Oracle: move the"
                    + " tables " + String.join(", ", tables) + " (ALTER TABLE ... MOVE, then ALTER INDEX ... REBUILD)"
                    + " as their owner; see the privacy docs");
            case POSTGRESQL -> {
                PostgresResiduePurge.Outcome outcome = postgres.purge(tables);
                int cleared = pending.map(p -> markers.clearUpTo(p.lastId())).orElse(0);
                contribution.incrementWriteCount(outcome.tables().size());
                log.info("Residue purge completed: {} tables rewritten ({} kB -> {} kB), {} marker(s) cleared,"
                        + " statistics {}, checkpoint {}, WAL switch {}", outcome.tables().size(),
                        outcome.bytesBefore() / 1024, outcome.bytesAfter() / 1024, cleared,
                        done(outcome.statisticsRewritten()), done(outcome.checkpointed()),
                        done(outcome.walSwitched()));
            }
        }
        return RepeatStatus.FINISHED;
    }

    private static String done(boolean done) {
        return done ? "done" : "not permitted";
    }
}
