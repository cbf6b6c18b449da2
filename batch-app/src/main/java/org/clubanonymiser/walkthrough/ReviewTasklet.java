package org.clubanonymiser.walkthrough;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stands in for the club admin of the seed's step 3: opens the walkthrough's export and saves it again, unchanged
 * (the attestation that it was reviewed; a byte-identical file would be refused as {@code NOT_RESAVED}). The
 * workbook is unzipped into the product's temp dir, opened and re-saved with POI into
 * {@code <storage-dir>/uploads/}, where an upload would land; the reviewed file's path goes into the job's execution
 * context for the import step. A real admin would use Excel or LibreOffice: the tests prove those re-saves too.
 */
record ReviewTasklet(JdbcTemplate jdbc, StorageLayout storage) implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReviewTasklet.class);

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        var export = jdbc.queryForMap("""
                select id, file_name from anonymisation_export
                where name = ? and status = 'COMPLETED' and file_name is not null and file_deleted_at is null
                order by id desc fetch first 1 rows only""", WalkthroughJobConfiguration.EXPORT_NAME);
        long exportId = ((Number) export.get("id")).longValue();
        Path zip = storage.exportsDir().resolve((String) export.get("file_name"));
        Path unzipped = storage.newTempFile("walkthrough-", ".xlsx");
        Path reviewed = storage.uploadsDir().resolve("walkthrough-export-" + exportId + "-reviewed.xlsx");
        Path partial = storage.newTempFile("walkthrough-reviewed-", ".xlsx");
        try {
            unzipFirstEntry(zip, unzipped);
            try (InputStream in = Files.newInputStream(unzipped); XSSFWorkbook workbook = new XSSFWorkbook(in);
                    OutputStream out = Files.newOutputStream(partial)) {
                workbook.write(out);
            }
            Files.move(partial, reviewed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(unzipped);
            Files.deleteIfExists(partial);
        }
        var context = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        context.putString(WalkthroughJobConfiguration.REVIEWED_FILE_KEY, reviewed.toString());
        context.putLong(WalkthroughJobConfiguration.EXPORT_ID_KEY, exportId);
        log.info("Export {} reviewed (opened and re-saved unchanged) as {}", exportId, reviewed);
        return RepeatStatus.FINISHED;
    }

    private static void unzipFirstEntry(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            if (entry == null) {
                throw new IOException("Empty export zip " + zip.getFileName());
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
