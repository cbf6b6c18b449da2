package org.clubanonymiser.export;

import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.testsupport.LibreOffice;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.support.workbook.RowFingerprint;
import org.clubanonymiser.testsupport.H2Database;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The exported workbook re-saved by a real spreadsheet application (LibreOffice, headless) keeps what the import
 * relies on: every row and value (so the manifest's fingerprints still match), no formula, the export identity (in the
 * custom properties or the hidden sheet, the hidden sheet still hidden), and different bytes (so an upload is
 * recognised as re-saved). Without {@code soffice} the test fails, naming
 * the package that installs it ({@code RequiredTool}).
 */
@H2Database
@Import(ExportTestConfiguration.class)
@TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW })
class ExportLibreOfficeRoundTripJobFunctionalTests {

    private static final Logger log = LoggerFactory.getLogger(ExportLibreOfficeRoundTripJobFunctionalTests.class);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    Job exportJob;

    @Autowired
    StorageLayout storage;

    @Autowired
    ExportRecords records;

    @Test
    void aWorkbookReSavedByLibreOfficeKeepsItsRowsValuesAndIdentity() throws Exception {
        LibreOffice.require();
        ExportScenario scenario = new ExportScenario(jdbc);
        JobExecution execution = jobOperator.start(exportJob, scenario.parameters("Round trip"));
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        ExportRecord export = records.findByJobInstance(execution.getJobInstance().getInstanceId()).orElseThrow();
        byte[] exported = ExportWorkbooks.unzip(storage.exportsDir().resolve(export.fileName())).workbook();

        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "libreoffice")), "rt-");
        try {
            Path original = Files.write(work.resolve(ExportFileNames.workbookName(export)), exported);
            Path resaved = LibreOffice.resave(original, work);

            List<List<Object>> before;
            try (XSSFWorkbook workbook = ExportWorkbooks.open(exported)) {
                before = ExportWorkbooks.membersValues(workbook);
            }
            assertThat(ExportWorkbooks.sha256(Files.readAllBytes(resaved)))
                .as("a re-saved file never has the exported file's checksum (NOT_RESAVED)")
                .isNotEqualTo(export.workbookChecksum());
            try (XSSFWorkbook workbook = ExportWorkbooks.open(resaved)) {
                assertThat(workbook.getSheetName(0)).isEqualTo(MembersSheet.SHEET_NAME);
                assertThat(ExportWorkbooks.membersValues(workbook)).isEqualTo(before);
                assertNoFormula(workbook.getSheet(MembersSheet.SHEET_NAME));
                assertFingerprintsStillMatch(export.id(), workbook.getSheet(MembersSheet.SHEET_NAME));
                assertIdentitySurvived(workbook, export);
            }
        }
        finally {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    private static void assertNoFormula(Sheet sheet) {
        for (Row row : sheet) {
            for (Cell cell : row) {
                assertThat(cell.getCellType()).isNotEqualTo(CellType.FORMULA);
            }
        }
    }

    private void assertFingerprintsStillMatch(long exportId, Sheet sheet) {
        List<String> fingerprints = jdbc.queryForList("select fingerprint from anonymisation_export_member"
                + " where export_id = ? order by member_id", String.class, exportId);
        assertThat(sheet.getLastRowNum()).isEqualTo(fingerprints.size());
        for (int i = 0; i < fingerprints.size(); i++) {
            ExportedRow row = ExportJobFunctionalTests.Contract.readRow(sheet.getRow(i + 1));
            assertThat(RowFingerprint.of(exportId, row)).as("row %d", i + 1).isEqualTo(fingerprints.get(i));
        }
    }

    private void assertIdentitySurvived(XSSFWorkbook workbook, ExportRecord export) throws IOException {
        ExportIdentity expected = new ExportIdentity(export.id(), export.clubId(), export.clubCode(), export.asOf(),
                export.cutoff(), export.inactivityMonths(), export.rowCount(), export.createdAt(),
                MembersSheet.FORMAT_VERSION);
        Map<String, String> custom = ExportWorkbooks.customProperties(workbook);
        Map<String, String> sheet = ExportWorkbooks.identitySheet(workbook);
        int hiddenIndex = workbook.getSheetIndex(MembersSheet.IDENTITY_SHEET_NAME);
        SheetVisibility visibility = hiddenIndex < 0 ? null : workbook.getSheetVisibility(hiddenIndex);
        log.info("After a LibreOffice re-save: custom properties {}, identity sheet {} ({})",
                custom.keySet().containsAll(expected.toProperties().keySet()) ? "kept" : "lost: " + custom,
                hiddenIndex < 0 ? "lost" : "kept", visibility);

        boolean inProperties = custom.keySet().containsAll(expected.toProperties().keySet());
        boolean inSheet = !sheet.isEmpty();
        assertThat(inProperties || inSheet).as("the identity survives in at least one place").isTrue();
        if (inProperties) {
            assertThat(ExportIdentity.fromProperties(custom)).isEqualTo(expected);
        }
        if (inSheet) {
            assertThat(ExportIdentity.fromProperties(sheet)).isEqualTo(expected);
            assertThat(visibility).as("the identity sheet stays out of the admin's sight")
                .isNotEqualTo(SheetVisibility.VISIBLE);
        }
    }
}
