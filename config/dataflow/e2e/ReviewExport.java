import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipInputStream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The club admin's review in the Data Flow end-to-end run (e2e.sh): opens the exported workbook and saves it again,
 * unchanged, as Excel or LibreOffice would (an identical file is refused as NOT_RESAVED). Run as a single-file
 * program on the application's own libraries: {@code java -cp 'lib/*' ReviewExport.java export.zip reviewed.xlsx}.
 */
public class ReviewExport {

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args[0]);
        Path reviewed = Path.of(args[1]);
        Path unzipped = Files.createTempFile(reviewed.toAbsolutePath().getParent(), "export-", ".xlsx");
        try {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                if (in.getNextEntry() == null) {
                    throw new IllegalStateException("empty export zip " + zip);
                }
                Files.copy(in, unzipped, StandardCopyOption.REPLACE_EXISTING);
            }
            try (InputStream in = Files.newInputStream(unzipped); XSSFWorkbook workbook = new XSSFWorkbook(in);
                    OutputStream out = Files.newOutputStream(reviewed)) {
                workbook.write(out);
            }
        }
        finally {
            Files.deleteIfExists(unzipped);
        }
    }
}
