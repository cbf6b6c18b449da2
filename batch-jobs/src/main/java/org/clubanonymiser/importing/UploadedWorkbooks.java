package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An uploaded workbook opened as what it is, a zip of XML parts, to be read with StAX in bounded memory whatever its
 * size: where the parts are (sheets by name, shared strings, styles, a sheet's comments, followed through the
 * package's relationships as any writer may lay them out) and streaming parsers over them. Elements are matched by
 * local name, so the transitional and strict namespaces read alike.
 * <p>
 * Parsing what spreadsheet programs write is done here and in {@link SheetRows}, {@link SharedStrings},
 * {@link CellStyles}: a general-purpose reader (POI's or a streaming library's) reads some programs' valid XML wrong
 * (Gnumeric's pretty-printed shared strings read as empty), and the import compares what the admin sees, so it owns
 * that reading. Call only on a file the gate's {@link UploadedFileInspector} accepted (a zip of well-formed XML parts
 * with no DTD). The caller closes it. Not thread-safe.
 */
final class UploadedWorkbooks implements AutoCloseable {

    private static final String WORKBOOK = "xl/workbook.xml";

    private final ZipFile zip;

    private final XMLInputFactory xml;

    private final List<String> sheetNames = new ArrayList<>();

    private final Map<String, String> sheetParts = new HashMap<>();

    private final Map<String, String> workbookRelations;

    private boolean date1904;

    private UploadedWorkbooks(ZipFile zip) throws IOException {
        this.zip = zip;
        this.xml = xmlFactory();
        this.workbookRelations = relations(WORKBOOK);
        readWorkbook();
    }

    static UploadedWorkbooks open(Path file) throws IOException {
        ZipFile zip = new ZipFile(file.toFile());
        try {
            return new UploadedWorkbooks(zip);
        }
        catch (IOException | RuntimeException ex) {
            zip.close();
            throw ex;
        }
    }

    /** A StAX factory that reads no DTD and resolves no entity (the inspector already refused any DOCTYPE). */
    static XMLInputFactory xmlFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** The sheets' names, in the workbook's (the tabs') order. */
    List<String> sheetNames() {
        return sheetNames;
    }

    /** Index of the sheet with this name, or -1. */
    int sheetIndex(String name) {
        return sheetNames.indexOf(name);
    }

    /** The workbook counts dates from 1904 (old Mac Excel) rather than 1900. */
    boolean date1904() {
        return date1904;
    }

    Optional<String> sheetPart(String sheetName) {
        return Optional.ofNullable(sheetParts.get(sheetName));
    }

    Optional<String> sharedStringsPart() {
        return workbookPart("/sharedStrings");
    }

    Optional<String> stylesPart() {
        return workbookPart("/styles");
    }

    /** The comments part of a sheet, if it has one. */
    Optional<String> commentsPart(String sheetPart) throws IOException {
        return relations(sheetPart).entrySet().stream()
            .filter(relation -> relation.getKey().endsWith("/comments"))
            .map(Map.Entry::getValue)
            .findFirst();
    }

    private Optional<String> workbookPart(String typeSuffix) {
        return workbookRelations.entrySet().stream()
            .filter(relation -> relation.getKey().endsWith(typeSuffix))
            .map(Map.Entry::getValue)
            .findFirst();
    }

    /** A streaming parser over a part; closing it closes the part's stream. */
    XMLStreamReader parse(String part) throws IOException {
        ZipEntry entry = zip.getEntry(part);
        if (entry == null) {
            throw new IllegalStateException("The workbook has no part " + part);
        }
        InputStream in = zip.getInputStream(entry);
        try {
            return new ClosingReader(xml.createXMLStreamReader(in), in);
        }
        catch (XMLStreamException ex) {
            in.close();
            throw new IllegalStateException("Part " + part + " cannot be parsed", ex);
        }
    }

    private void readWorkbook() throws IOException {
        Map<String, String> byId = new HashMap<>();
        for (Map.Entry<String, String> relation : workbookRelations.entrySet()) {
            byId.put(relation.getKey().substring(0, relation.getKey().indexOf(' ')), relation.getValue());
        }
        XMLStreamReader reader = parse(WORKBOOK);
        try {
            while (reader.hasNext()) {
                if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String element = reader.getLocalName();
                if ("workbookPr".equals(element)) {
                    date1904 = isTrue(attribute(reader, "date1904"));
                }
                else if ("sheet".equals(element)) {
                    String name = attribute(reader, "name");
                    String id = relationId(reader);
                    sheetNames.add(name);
                    if (id != null && byId.containsKey(id)) {
                        sheetParts.putIfAbsent(name, byId.get(id));
                    }
                }
            }
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("The workbook part cannot be parsed", ex);
        }
        finally {
            close(reader);
        }
    }

    /**
     * The relationships of a part, keyed {@code "<id> <type>"}, targets resolved to zip entry names; empty when the
     * part has none.
     */
    private Map<String, String> relations(String part) throws IOException {
        int slash = part.lastIndexOf('/');
        String dir = slash < 0 ? "" : part.substring(0, slash + 1);
        String relsPart = dir + "_rels/" + part.substring(slash + 1) + ".rels";
        Map<String, String> relations = new HashMap<>();
        if (zip.getEntry(relsPart) == null) {
            return relations;
        }
        XMLStreamReader reader = parse(relsPart);
        try {
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT
                        && "Relationship".equals(reader.getLocalName())
                        && !"External".equals(attribute(reader, "TargetMode"))) {
                    String target = attribute(reader, "Target");
                    if (target != null) {
                        relations.put(attribute(reader, "Id") + " " + attribute(reader, "Type"), resolve(dir, target));
                    }
                }
            }
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("Part " + relsPart + " cannot be parsed", ex);
        }
        finally {
            close(reader);
        }
        return relations;
    }

    /** A relationship target as a zip entry name: absolute ({@code /xl/...}) or relative to the source's folder. */
    static String resolve(String dir, String target) {
        String path = target.startsWith("/") ? target.substring(1) : dir + target;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if ("..".equals(segment)) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            }
            else if (!segment.isEmpty() && !".".equals(segment)) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    /** An attribute by local name, whatever its namespace; {@code null} when absent. */
    static String attribute(XMLStreamReader reader, String localName) {
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            if (localName.equals(reader.getAttributeLocalName(i))) {
                return reader.getAttributeValue(i);
            }
        }
        return null;
    }

    /** XML schema booleans as spreadsheet programs write them: {@code 1}, {@code true}. */
    static boolean isTrue(String value) {
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }

    private static String relationId(XMLStreamReader reader) {
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            if ("id".equals(reader.getAttributeLocalName(i)) && reader.getAttributeNamespace(i) != null
                    && reader.getAttributeNamespace(i).endsWith("/relationships")) {
                return reader.getAttributeValue(i);
            }
        }
        return null;
    }

    static void close(XMLStreamReader reader) throws IOException {
        try {
            reader.close();
        }
        catch (XMLStreamException ex) {
            throw new IOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** StAX's close() leaves the underlying stream open: this one closes the part's stream too. */
    private static final class ClosingReader extends javax.xml.stream.util.StreamReaderDelegate {

        private final InputStream in;

        ClosingReader(XMLStreamReader reader, InputStream in) {
            super(reader);
            this.in = in;
        }

        @Override
        public void close() throws XMLStreamException {
            try {
                super.close();
            }
            finally {
                try {
                    in.close();
                }
                catch (IOException ex) {
                    throw new XMLStreamException(ex);
                }
            }
        }
    }
}
