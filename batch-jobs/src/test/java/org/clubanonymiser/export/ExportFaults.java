package org.clubanonymiser.export;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.clubanonymiser.chainexport.ClubPartitioner;
import org.clubanonymiser.support.workbook.ExportedRow;

import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.core.RowMapper;

/**
 * Test-only fault injection, no production hook: wraps the row mappers of the export's two step-scoped readers
 * (the member reader of step 1, the manifest reader of step 2) as Spring creates them, so that a test can make the
 * k-th row read from now on fail. Disarmed by default; {@link #reset()} after each use.
 */
class ExportFaults implements BeanPostProcessor {

    static final class InjectedFailure extends RuntimeException {

        InjectedFailure(String message) {
            super(message);
        }
    }

    private final AtomicInteger memberRowsLeft = new AtomicInteger(-1);

    private final AtomicInteger workbookRowsLeft = new AtomicInteger(-1);

    private final AtomicLong onlyClub = new AtomicLong();

    /** The k-th member read by step 1 from now on fails (1 = the next one). */
    void failMemberRead(int k) {
        memberRowsLeft.set(k);
    }

    /** The k-th manifest row read by step 2 from now on fails. */
    void failWorkbookRow(int k) {
        workbookRowsLeft.set(k);
    }

    /**
     * Only the partitions of this club fail ({@code chainExportJob} names them {@code <step>:club-<id>}); the k-th
     * row is then counted in that club's reader alone. 0: every partition (the default).
     */
    void onlyClub(long clubId) {
        onlyClub.set(clubId);
    }

    void reset() {
        memberRowsLeft.set(-1);
        workbookRowsLeft.set(-1);
        onlyClub.set(0);
    }

    private boolean armedHere() {
        long clubId = onlyClub.get();
        if (clubId == 0) {
            return true;
        }
        StepContext step = StepSynchronizationManager.getContext();
        return step != null && step.getStepName().endsWith(":" + ClubPartitioner.PARTITION_PREFIX + clubId);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!armedHere()) {
            return bean;
        }
        if (beanName.equals("scopedTarget.exportMemberReader")) {
            ((JdbcPagingItemReader<MemberActivityRow>) bean)
                .setRowMapper(failing(new MemberActivityRowMapper(), memberRowsLeft, "step 1"));
        }
        else if (beanName.equals("scopedTarget.exportWorkbookRowReader")) {
            ((JdbcPagingItemReader<ExportedRow>) bean)
                .setRowMapper(failing(ExportManifest.ROW_MAPPER, workbookRowsLeft, "step 2"));
        }
        return bean;
    }

    private static <T> RowMapper<T> failing(RowMapper<T> delegate, AtomicInteger left, String where) {
        return (rs, rowNum) -> {
            if (left.get() > 0 && left.decrementAndGet() == 0) {
                throw new InjectedFailure("Injected failure in " + where);
            }
            return delegate.mapRow(rs, rowNum);
        };
    }
}
