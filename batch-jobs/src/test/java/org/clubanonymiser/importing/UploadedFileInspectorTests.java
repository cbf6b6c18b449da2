package org.clubanonymiser.importing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class UploadedFileInspectorTests {

    static final ImportProperties DEFAULTS = new ImportProperties(500, 1_000_000, DataSize.ofMegabytes(200),
            new ImportProperties.Zip(1000, DataSize.ofGigabytes(2), 0.01), 10_000);

    @TempDir
    Path dir;

    Path workbook;

    BadFiles bad;

    HttpServer server;

    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(dir.resolve("poi").toFile()));
        workbook = dir.resolve("reviewed.xlsx");
        ExportIdentity identity = new ExportIdentity(1, 1, "C1", LocalDate.of(2026, 6, 30), LocalDate.of(2023, 6, 30),
                36, 1, LocalDateTime.of(2026, 6, 30, 9, 0), MembersSheet.FORMAT_VERSION);
        ExportFixtures.writeWorkbook(workbook, identity, List.of(new ExportedRow(101, "M101", "Durand", "Anne",
                "PROSPECT", null, "NONE", 90)), false);
        bad = new BadFiles(dir);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "SECRET-FROM-NETWORK".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    static ImportRefusal refusal(ImportProperties properties, Path file) {
        Throwable thrown = catchThrowable(() -> new UploadedFileInspector(properties).inspect(file));
        return thrown instanceof ImportRefusedException refused ? refused.refusal() : null;
    }

    @Test
    void acceptsAGenuineWorkbook() {
        assertThatCode(() -> new UploadedFileInspector(DEFAULTS).inspect(workbook)).doesNotThrowAnyException();
    }

    @Test
    void refusesWhatIsNotAnXlsx() {
        assertThat(refusal(DEFAULTS, bad.csvRenamed())).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.withExtension(workbook, "xls"))).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.xls())).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.ods())).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.encrypted(workbook))).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.empty())).isEqualTo(ImportRefusal.NOT_XLSX);
        assertThat(refusal(DEFAULTS, bad.truncated(workbook))).isEqualTo(ImportRefusal.NOT_XLSX);
    }

    @Test
    void refusesAZipBombAndOversizedContent() {
        assertThat(refusal(DEFAULTS, bad.zipBomb(workbook))).isEqualTo(ImportRefusal.UNSAFE_FILE);
        assertThat(refusal(DEFAULTS, bad.tooManyEntries(workbook, 1000))).isEqualTo(ImportRefusal.UNSAFE_FILE);
        ImportProperties tiny = new ImportProperties(500, 10, DataSize.ofKilobytes(2),
                new ImportProperties.Zip(1000, DataSize.ofGigabytes(2), 0.01), 10_000);
        assertThat(refusal(tiny, workbook)).isEqualTo(ImportRefusal.UNSAFE_FILE);
        ImportProperties smallParts = new ImportProperties(500, 10, DataSize.ofMegabytes(200),
                new ImportProperties.Zip(1000, DataSize.ofKilobytes(1), 0.01), 10_000);
        assertThat(refusal(smallParts, workbook)).isEqualTo(ImportRefusal.UNSAFE_FILE);
    }

    /** Rows are streamed chunk by chunk later: a sheet broken half-way must be refused before the first chunk. */
    @Test
    void refusesASheetDamagedAfterItsFirstRows() {
        assertThat(refusal(DEFAULTS, new CorpusFiles(dir).corruptSheetAfterRow(workbook, 1)))
            .isEqualTo(ImportRefusal.NOT_XLSX);
    }

    @Test
    void refusesTwoPartsOfTheSameName() {
        assertThat(refusal(DEFAULTS, new CorpusFiles(dir).duplicateEntries(workbook)))
            .isEqualTo(ImportRefusal.UNSAFE_FILE);
    }

    /** Excel writes VML drawings (comment boxes) with unclosed {@code <br>} tags: they are not held to well-formedness. */
    @Test
    void acceptsALegacyVmlDrawingThatIsNotWellFormed() {
        Path withVml = new CorpusFiles(dir).rezip(workbook, "vml.xlsx", java.util.Map.of(), java.util.Map.of(
                "xl/drawings/vmlDrawing1.vml", ("<xml xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:shape><div>a<br>b"
                        + "</div></v:shape></xml>").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThatCode(() -> new UploadedFileInspector(DEFAULTS).inspect(withVml)).doesNotThrowAnyException();
    }

    @Test
    void refusesExternalEntitiesWithoutResolvingThem() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-FROM-DISK");
        Path overNetwork = bad.externalEntity(workbook, "http://127.0.0.1:" + server.getAddress().getPort() + "/x");
        Path fromDisk = bad.externalEntity(workbook, secret.toUri().toString());

        assertThat(refusal(DEFAULTS, overNetwork)).isEqualTo(ImportRefusal.UNSAFE_FILE);
        assertThat(refusal(DEFAULTS, fromDisk)).isEqualTo(ImportRefusal.UNSAFE_FILE);
        assertThat(requests).hasValue(0);
    }

    /** Behind the gate, POI's own parsers refuse DOCTYPEs too: nothing is fetched, nothing leaks into a cell. */
    @Test
    void poiParsersNeverResolveEntitiesEither() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-FROM-DISK");
        for (Path file : List.of(
                bad.externalEntity(workbook, "http://127.0.0.1:" + server.getAddress().getPort() + "/x"),
                bad.externalEntity(workbook, secret.toUri().toString()))) {
            Throwable streaming = catchThrowable(() -> {
                UploadedRowReader reader = new UploadedRowReader(file);
                try {
                    reader.open(new org.springframework.batch.infrastructure.item.ExecutionContext());
                    for (UploadedRow row = reader.read(); row != null; row = reader.read()) {
                        assertThat(row.memberId() + row.lastName()).doesNotContain("SECRET");
                    }
                }
                finally {
                    reader.close();
                }
            });
            assertThat(streaming).isNotNull().isNotInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> new XSSFWorkbook(file.toFile()).close()).isNotInstanceOf(AssertionError.class);
        }
        assertThat(requests).hasValue(0);
    }
}
