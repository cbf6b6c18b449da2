package org.clubanonymiser.export;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Makes {@code exportManifestStep} resume from the product database's committed position, not only from its step
 * execution context. The member reader's state (under {@code exportMemberReader.*}: the count of members read and the
 * id to start after) is saved in the step execution context, which the job repository commits; under Data Flow that
 * is another database, in a transaction of its own, committed before the chunk's manifest rows. A crash between the
 * two commits leaves the context a chunk ahead of the manifest (that chunk's eligible members would never be listed),
 * or, were the commits ordered the other way, a chunk behind (its members scanned twice). The product database has
 * the truth: {@code members_scanned} and {@code last_scanned_member_id}, moved in each chunk's transaction by
 * {@link ExportProgressListener}. Before the reader opens (a step's listeners run before its streams open), when the
 * context's count differs from the committed one, the reader's state is set to the committed position and the log
 * says so, with counts and member ids only. An export recorded before the product kept its position (members scanned,
 * no last id) keeps its context's.
 */
class ManifestRestartPosition implements StepExecutionListener {

    /** The member reader's name: its keys in the step execution context. */
    static final String READER = "exportMemberReader";

    static final String READ_COUNT = READER + ".read.count";

    static final String START_AFTER = READER + ".start.after";

    /** The reader's sort key, as the paging query names it. */
    private static final String SORT_KEY = "id";

    private static final Logger log = LoggerFactory.getLogger(ManifestRestartPosition.class);

    private final long exportId;

    private final ExportRecords records;

    ManifestRestartPosition(long exportId, ExportRecords records) {
        this.exportId = exportId;
        this.records = records;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        ExportRecords.ScanPosition committed = records.scanPosition(exportId);
        if (committed.lastMemberId() == null && committed.membersScanned() > 0) {
            return;
        }
        ExecutionContext context = stepExecution.getExecutionContext();
        long contextCount = context.getInt(READ_COUNT, 0);
        if (contextCount == committed.membersScanned()) {
            // The same chunk boundary: the reader's own state is that position (members are read in id order).
            return;
        }
        log.warn("Export {}: the job repository's step execution context resumes after {} members (member id {}),"
                + " the product database after {} (member id {}): resuming from the product database's committed"
                + " position", exportId, contextCount, startAfter(context), committed.membersScanned(),
                committed.lastMemberId());
        if (committed.lastMemberId() == null) {
            context.remove(START_AFTER);
            context.remove(READ_COUNT);
            return;
        }
        Map<String, Object> startAfter = new LinkedHashMap<>();
        startAfter.put(SORT_KEY, committed.lastMemberId());
        context.put(START_AFTER, startAfter);
        context.putInt(READ_COUNT, Math.toIntExact(committed.membersScanned()));
    }

    private static Object startAfter(ExecutionContext context) {
        return context.get(START_AFTER) instanceof Map<?, ?> values ? values.get(SORT_KEY) : null;
    }
}
