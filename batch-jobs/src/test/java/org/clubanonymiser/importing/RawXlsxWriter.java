package org.clubanonymiser.importing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.ss.usermodel.DateUtil;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * Writes an exported workbook of any size in constant memory and little time, straight as OOXML parts: every text in
 * the shared-strings table (as Excel and LibreOffice save), the identity in the custom properties and in a very hidden
 * sheet. For the memory tests and benchmarks only; small fixtures use POI ({@link ExportFixtures}).
 */
final class RawXlsxWriter {

    private static final List<String> STATUSES = List.of("PROSPECT", "FORMER_CLIENT", "CLIENT", "ANONYMISED");

    private static final List<String> KINDS = List.of("VISIT", "BOOKING", "PURCHASE", "INSTALMENT", "NONE");

    private static final int CONSTANTS = MembersSheet.HEADERS.size() + STATUSES.size() + KINDS.size();

    private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static final String REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private RawXlsxWriter() {
    }

    /** @param rows called twice (sheet, then shared strings): must give the same rows each time */
    static void write(Path target, ExportIdentity identity, Supplier<Iterator<ExportedRow>> rows) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target));
                Writer out = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 1 << 16)) {
            part(zip, out, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                    <Default Extension="xml" ContentType="application/xml"/>\
                    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                    <Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                    <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
                    <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                    <Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>\
                    </Types>""");
            part(zip, out, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"" + REL + "/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"" + REL + "/custom-properties\" Target=\"docProps/custom.xml\"/>"
                    + "</Relationships>");
            part(zip, out, "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<workbook xmlns=\"" + MAIN + "\" xmlns:r=\"" + REL + "\"><sheets>"
                    + "<sheet name=\"" + MembersSheet.SHEET_NAME + "\" sheetId=\"1\" r:id=\"rId1\"/>"
                    + "<sheet name=\"" + MembersSheet.IDENTITY_SHEET_NAME + "\" sheetId=\"2\" state=\"veryHidden\""
                    + " r:id=\"rId2\"/></sheets></workbook>");
            part(zip, out, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"" + REL + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"" + REL + "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                    + "<Relationship Id=\"rId3\" Type=\"" + REL + "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
                    + "<Relationship Id=\"rId4\" Type=\"" + REL + "/styles\" Target=\"styles.xml\"/>"
                    + "</Relationships>");
            part(zip, out, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<styleSheet xmlns=\"" + MAIN + "\">"
                    + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"" + MembersSheet.DATE_FORMAT
                    + "\"/></numFmts>"
                    + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                    + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
                    + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
                    + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
                    + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
                    + "</cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\""
                    + " xfId=\"0\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
                    + " applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
            StringBuilder custom = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\""
                    + " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">");
            StringBuilder identitySheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\""
                    + " standalone=\"yes\"?><worksheet xmlns=\"" + MAIN + "\"><sheetData>");
            int pid = 2;
            for (Map.Entry<String, String> entry : identity.toProperties().entrySet()) {
                custom.append("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"").append(pid)
                    .append("\" name=\"").append(entry.getKey()).append("\"><vt:lpwstr>")
                    .append(escape(entry.getValue())).append("</vt:lpwstr></property>");
                identitySheet.append("<row r=\"").append(pid - 1).append("\">")
                    .append(inline("A" + (pid - 1), entry.getKey())).append(inline("B" + (pid - 1), entry.getValue()))
                    .append("</row>");
                pid++;
            }
            part(zip, out, "docProps/custom.xml", custom.append("</Properties>").toString());
            part(zip, out, "xl/worksheets/sheet2.xml", identitySheet.append("</sheetData></worksheet>").toString());

            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"" + MAIN
                    + "\"><sheetData><row r=\"1\">");
            for (int col = 0; col < MembersSheet.HEADERS.size(); col++) {
                out.write("<c r=\"" + (char) ('A' + col) + "1\" t=\"s\"><v>" + col + "</v></c>");
            }
            out.write("</row>");
            long count = 0;
            for (Iterator<ExportedRow> it = rows.get(); it.hasNext();) {
                ExportedRow row = it.next();
                long r = count + 2;
                long base = CONSTANTS + 3 * count;
                out.write("<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + row.memberId() + "</v></c>"
                        + "<c r=\"B" + r + "\" t=\"s\"><v>" + base + "</v></c>"
                        + "<c r=\"C" + r + "\" t=\"s\"><v>" + (base + 1) + "</v></c>"
                        + "<c r=\"D" + r + "\" t=\"s\"><v>" + (base + 2) + "</v></c>"
                        + "<c r=\"E" + r + "\" t=\"s\"><v>" + constant(row.status()) + "</v></c>");
                if (row.lastActivity() != null) {
                    out.write("<c r=\"F" + r + "\" s=\"1\"><v>" + (long) DateUtil.getExcelDate(row.lastActivity())
                            + "</v></c>");
                }
                out.write("<c r=\"G" + r + "\" t=\"s\"><v>" + constant(row.lastActivityKind()) + "</v></c>"
                        + "<c r=\"H" + r + "\"><v>" + row.monthsInactive() + "</v></c></row>");
                count++;
            }
            out.write("</sheetData></worksheet>");
            out.flush();
            zip.closeEntry();

            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            long unique = CONSTANTS + 3 * count;
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><sst xmlns=\"" + MAIN
                    + "\" count=\"" + unique + "\" uniqueCount=\"" + unique + "\">");
            for (String constant : constants()) {
                out.write("<si><t>" + escape(constant) + "</t></si>");
            }
            for (Iterator<ExportedRow> it = rows.get(); it.hasNext();) {
                ExportedRow row = it.next();
                out.write("<si><t>" + escape(row.memberNumber()) + "</t></si><si><t xml:space=\"preserve\">"
                        + escape(row.lastName()) + "</t></si><si><t xml:space=\"preserve\">" + escape(row.firstName())
                        + "</t></si>");
            }
            out.write("</sst>");
            out.flush();
            zip.closeEntry();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> constants() {
        List<String> constants = new java.util.ArrayList<>(MembersSheet.HEADERS);
        constants.addAll(STATUSES);
        constants.addAll(KINDS);
        return constants;
    }

    private static int constant(String value) {
        int index = constants().indexOf(value);
        if (index < 0) {
            throw new IllegalArgumentException("Not a status or activity kind: " + value);
        }
        return index;
    }

    private static String inline(String ref, String text) {
        return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + escape(text) + "</t></is></c>";
    }

    private static void part(ZipOutputStream zip, Writer out, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.flush();
        zip.closeEntry();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
