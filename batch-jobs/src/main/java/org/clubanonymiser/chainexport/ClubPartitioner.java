package org.clubanonymiser.chainexport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.clubanonymiser.export.ExportRecordListener;
import org.clubanonymiser.export.ExportRecords;
import org.clubanonymiser.exportrecord.ExportRecord;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per club of a {@code chainExportJob} instance, named {@code club-<club id>}, its execution context
 * holding two numbers: the export id under {@value ExportRecordListener#EXPORT_ID_KEY} (where the export's
 * step-scoped components look first, see {@link ExportRecordListener#EXPORT_ID_EXPRESSION}) and the club id under
 * {@value #CLUB_ID_KEY}. The grid size is ignored: a club is never split. The same names on every call, so that on
 * a restart Spring Batch runs again only the partitions that did not complete (it reuses their saved contexts).
 * Reads the export records {@link ChainExportRecordListener} made; thread-safe.
 */
public class ClubPartitioner implements Partitioner {

    /** Step execution context key of a partition's club id. */
    static final String CLUB_ID_KEY = "chainExportJob.club.id";

    /** Partition name prefix; Spring Batch names a partition's step execution {@code <step>:club-<id>}. */
    public static final String PARTITION_PREFIX = "club-";

    private final ExportRecords records;

    private final long jobInstanceId;

    ClubPartitioner(ExportRecords records, long jobInstanceId) {
        this.records = records;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (ExportRecord export : records.listByJobInstance(jobInstanceId)) {
            ExecutionContext context = new ExecutionContext();
            context.putLong(ExportRecordListener.EXPORT_ID_KEY, export.id());
            context.putLong(CLUB_ID_KEY, export.clubId());
            partitions.put(PARTITION_PREFIX + export.clubId(), context);
        }
        return partitions;
    }
}
