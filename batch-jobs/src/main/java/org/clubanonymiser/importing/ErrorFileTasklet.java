package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.clubanonymiser.support.storage.StorageLayout;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Renders the import's error file, {@code <storage-dir>/errors/import-<importId>-errors.xlsx}, from the rejection table
 * in row-number order: one sheet {@code Rejected rows}, columns Row, Member ID, Member number, Code, Message and What
 * to do (the code's {@link RowRejection#advice()}). Informational rows ({@code ALREADY_ANONYMISED}) are counted on the
 * record but not listed: the file holds what the admin may correct. No names, by construction: the table holds none.
 * Streamed (SXSSF, temp files in the product's temp dir, nothing personal in them), written to a temp file and moved
 * into place, so a reader never sees half a file. Always rendered whole: a restart renders it again from the committed
 * rejections, which makes it exact (no row twice, none missing). With no rejection there is no error file (a stale one
 * from an earlier attempt is deleted) and the record's {@code error_file} stays empty.
 */
class ErrorFileTasklet implements Tasklet {

    static final List<String> HEADERS = List.of("Row", "Member ID", "Member number", "Code", "Message", "What to do");

    /** The rows listed: rejections, not the informational outcomes. */
    private static final String LISTED = "import_id = ? and code <> '" + RowRejection.ALREADY_ANONYMISED.name()
            + "'";

    static final String SHEET_NAME = "Rejected rows";

    private final JdbcTemplate jdbc;

    private final ImportRecords records;

    private final StorageLayout storage;

    private final long importId;

    ErrorFileTasklet(JdbcTemplate jdbc, ImportRecords records, StorageLayout storage, long importId) {
        this.jdbc = jdbc;
        this.records = records;
        this.storage = storage;
        this.importId = importId;
    }

    static String fileName(long importId) {
        return "import-" + importId + "-errors.xlsx";
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        Path target = storage.errorsDir().resolve(fileName(importId));
        Long rejected = jdbc.queryForObject(
                "select count(*) from anonymisation_import_rejection where " + LISTED, Long.class, importId);
        if (rejected == null || rejected == 0) {
            Files.deleteIfExists(target);
            records.setErrorFile(importId, null);
            return RepeatStatus.FINISHED;
        }
        Path temp = storage.newTempFile("import-errors-", ".xlsx");
        try {
            render(temp);
            moveIntoPlace(temp, target);
        }
        finally {
            Files.deleteIfExists(temp);
        }
        records.setErrorFile(importId, target.getFileName().toString());
        contribution.incrementWriteCount(rejected);
        return RepeatStatus.FINISHED;
    }

    private void render(Path temp) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200); OutputStream out = Files.newOutputStream(temp)) {
            SXSSFSheet sheet = workbook.createSheet(SHEET_NAME);
            Row header = sheet.createRow(0);
            for (int i = 0; i < HEADERS.size(); i++) {
                header.createCell(i).setCellValue(HEADERS.get(i));
            }
            int[] next = { 1 };
            jdbc.query("""
                    select row_number, member_id, member_number, code, message
                    from anonymisation_import_rejection where\s""" + LISTED + " order by row_number", rs -> {
                Row row = sheet.createRow(next[0]++);
                row.createCell(0).setCellValue(rs.getLong("row_number"));
                long memberId = rs.getLong("member_id");
                if (!rs.wasNull()) {
                    row.createCell(1).setCellValue(memberId);
                }
                String memberNumber = rs.getString("member_number");
                if (memberNumber != null) {
                    // A text cell: never a formula, whatever the text starts with.
                    row.createCell(2).setCellValue(memberNumber);
                }
                String code = rs.getString("code");
                row.createCell(3).setCellValue(code);
                row.createCell(4).setCellValue(rs.getString("message"));
                row.createCell(5).setCellValue(RowRejection.valueOf(code).advice());
            }, importId);
            workbook.write(out);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
