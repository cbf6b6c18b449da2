package org.clubanonymiser.support.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the old row versions from a closed H2 file by overwriting, with zeros, every byte the database no longer
 * uses, in place, instead of copying the live pages into a new file ({@link #rewrite}, the fallback). An H2 2.4 file
 * ({@code .mv.db}, format 3) is two header blocks, then chunks of 4096-byte blocks; a chunk is a header, its pages one
 * after the other, a table of contents (ToC: one entry per page, in offset order), slack, and a footer. What is
 * zeroed:
 * <ul>
 * <li>every block outside the chunks H2 knows (the layout map's {@code chunk.<id>} entries and the newest chunk, which
 * the store header names): freed chunks, an old copy of a moved chunk;</li>
 * <li>inside a known chunk, the exact bytes of each page that is <b>both</b> marked dead by H2 (the chunk's
 * {@code occupancy} bit) <b>and</b> not reachable from the current roots (the layout map's root, every
 * {@code root.<mapId>} entry, the internal nodes' child positions walked down to the leaves); the stray pages
 * ({@link ChunkInfo#unusedBytes}); and the slack between the ToC and the footer.</li>
 * </ul>
 * A stray page of a table or index that still exists, which H2 may read to move it, is not zeroed but emptied: its
 * head kept, no key, every other byte zero ({@link ChunkInfo#emptyPage}).
 * Chunk headers, ToCs, footers and every reachable page keep their bytes, so the file opens as before (a clean
 * shutdown's path: store header, then the newest chunks' headers and footers). Zeroing a page H2 may read would
 * corrupt the database, far worse than a residue, so the scrub refuses ({@link Unscrubbable}) before writing anything
 * whenever its two views of the file disagree or the file is not what it understands: a format other than 3, a store
 * not closed cleanly, a layout key it does not know, a chunk without a ToC or overlapping another, a page reachable
 * that H2 counts dead, a stray page it can neither zero (the two cases proved in {@link ChunkInfo#unusedBytes}: a
 * chunk never moved page by page, a dropped map) nor empty (not where its ToC says), a page whose own length and
 * check value do not match its place.
 * Refused, the caller makes the full copy.
 * <p>
 * Its memory is bounded by what it must remember, not by the file's size: a few bits per page, one chunk's ToC at a
 * time, and a bounded number of reachable leaves waiting for their chunk's ToC; see {@link Plan}.
 * <p>
 * Read with H2's public API ({@code MVStore} read-only: the layout map, the meta map's names, the store header) and a
 * {@code FileChannel} for the raw bytes; no class in H2's packages, no reflection. Written for H2 2.4.240's file
 * format, read in its source ({@code FileStore}, {@code RandomAccessStore}, {@code Chunk}, {@code Page}).
 */
public final class H2DeadPageScrub {

    private static final Logger log = LoggerFactory.getLogger(H2DeadPageScrub.class);

    static final int BLOCK = 4096;

    private static final int FORMAT = 3;

    private static final int HEADER_BLOCKS = 2;

    /** The length of a chunk's footer, its last bytes. */
    private static final int FOOTER = 128;

    /**
     * The maps of an H2 database that are never single-writer (whose pages H2 never pins): tables, indexes, the
     * transaction list, the LOB maps and the settings map. Undo logs and the temporary maps of an index build are.
     */
    private static final Pattern REGULAR_MAPS = Pattern
        .compile("(table|index)\\.\\d+|openTransactions|_|lobMap|tempLobMap|lobRef|lobData");

    /** A page's fixed start: length (int), check value (short), then page number, map id and key count (varints). */
    private static final int PAGE_HEAD = 4 + 2 + 5 + 5 + 5 + 1;

    private H2DeadPageScrub() {
    }

    /**
     * What a scrub zeroed: the dead pages of live chunks, the stray pages (of them, those of dropped maps) and the
     * ranges of blocks outside every chunk; and the stray pages of H2's own maps it kept (no row in them).
     */
    public record Result(int deadPages, int strayPages, int droppedMapPages, int keptStorePages,
            int emptiedPages, int freeRanges, long bytesZeroed) {
    }

    /** The file is not one the scrub can prove it understands: nothing was written. */
    public static final class Unscrubbable extends Exception {

        private static final long serialVersionUID = 1L;

        Unscrubbable(String reason) {
            super(reason);
        }
    }

    /**
     * Scrubs the closed H2 file, or, when the scrub refuses, rewrites it from its live pages (the full copy). Either
     * way no dead page's bytes stay readable.
     *
     * @return the scrub's result, or null when the full copy was made instead
     */
    public static Result scrubOrRewrite(String file) {
        try {
            Result result = scrub(Path.of(file));
            log.info("H2 dead pages scrubbed: {} dead page(s), {} stray page(s) ({} of dropped maps), {} free range(s),"
                    + " {} bytes zeroed; {} stray page(s) of open maps emptied, {} of the store's own maps kept",
                    result.deadPages(), result.strayPages(), result.droppedMapPages(), result.freeRanges(),
                    result.bytesZeroed(), result.emptiedPages(), result.keptStorePages());
            return result;
        }
        catch (Unscrubbable ex) {
            log.warn("H2 dead-page scrub refused ({}): the file is rewritten from its live pages instead",
                    ex.getMessage());
            rewrite(file);
            return null;
        }
    }

    /**
     * Rewrites a closed H2 database file from its live pages only, uncompressed, into a new file that replaces it (H2's
     * {@code MVStoreTool.compact}, the copy {@code SHUTDOWN COMPACT} makes, without its compression: a compressed
     * file would hide its values from a byte scan). Slower than the scrub (every live page decoded and encoded again)
     * but it also shrinks the file.
     */
    public static void rewrite(String file) {
        org.h2.mvstore.MVStoreTool.compact(file, false);
    }

    /** Zeroes the dead bytes of the closed file, or refuses before writing anything. */
    static Result scrub(Path file) throws Unscrubbable {
        return scrub(file, plan(file));
    }

    /** Carries out a plan made on the file as it is now. */
    static Result scrub(Path file, Plan plan) throws Unscrubbable {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            long bytes = 0;
            for (Map.Entry<Integer, BitSet> pages : plan.pages().entrySet()) {
                ChunkInfo chunk = plan.chunks().get(pages.getKey());
                BitSet zero = pages.getValue();
                BitSet empty = plan.empty().getOrDefault(pages.getKey(), new BitSet());
                if (zero.isEmpty() && empty.isEmpty()) {
                    continue;
                }
                // Read again, one chunk at a time (the file is as planned): the ToCs do not fit a small heap together.
                long[] toc = chunk.readToc(channel);
                // A run of consecutive pages to zero is one range: from the first's offset to the next kept page's.
                for (int from = zero.nextSetBit(0), to; from >= 0; from = zero.nextSetBit(to)) {
                    to = zero.nextClearBit(from);
                    long end = chunk.pageStart(toc, to);
                    bytes += zero(channel, zeros, chunk.start() + DataUtils.getPageOffset(toc[from]),
                            chunk.start() + end);
                }
                // One write per page, the page head with the zeros: no moment where H2 could find a zeroed page.
                for (int pageNo = empty.nextSetBit(0); pageNo >= 0; pageNo = empty.nextSetBit(pageNo + 1)) {
                    ByteBuffer page = chunk.emptyPage(channel, toc, pageNo);
                    long at = chunk.start() + DataUtils.getPageOffset(toc[pageNo]);
                    bytes += page.remaining();
                    while (page.hasRemaining()) {
                        channel.write(page, at + page.position());
                    }
                }
            }
            for (long[] range : plan.ranges()) {
                bytes += zero(channel, zeros, range[0], range[1]);
            }
            channel.force(true);
            return new Result(plan.deadPages(), plan.strayPages(), plan.droppedMapPages(), plan.keptStorePages(),
                    plan.emptiedPages(), plan.freeRanges(), bytes);
        }
        catch (IOException ex) {
            // Written in part at most: zeroed bytes were dead, so the file is as sound as before; the copy follows.
            throw new Unscrubbable("write failed: " + ex.getClass().getSimpleName());
        }
    }

    private static long zero(FileChannel channel, ByteBuffer zeros, long from, long to) throws IOException {
        for (long at = from; at < to;) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            at += channel.write(zeros, at);
        }
        return to - from;
    }

    /**
     * What to zero, decided on the closed file without writing to it: the pages of each chunk (by their number in its
     * ToC), and byte ranges (free blocks, chunk slack). Its memory is bounded by what the scrub must remember, not by
     * the size of the file: bit sets (a bit per page: reached, to zero, and H2's occupancy), no ToC kept (each is
     * read when needed and dropped: the write reads it again), and a bounded number of reachable leaves waiting for
     * their chunk's ToC ({@link Walk}). A 1M-member file has about 11 million pages (a ToC entry, a long, for each:
     * 87 MB), the application runs in a small heap.
     *
     * @param held the most longs held at once while planning: the leaves waiting plus the ToC being read
     */
    record Plan(Map<Integer, ChunkInfo> chunks, Map<Integer, BitSet> pages, Map<Integer, BitSet> empty,
            List<long[]> ranges, int deadPages, int strayPages, int droppedMapPages, int keptStorePages,
            int emptiedPages, int freeRanges, long held) {
    }

    /** The reachable leaves the walk keeps waiting for their chunk's ToC, at most: 4 MB. */
    static final int WAITING = 1 << 19;

    static Plan plan(Path file) throws Unscrubbable {
        return plan(file, WAITING);
    }

    static Plan plan(Path file, int waiting) throws Unscrubbable {
        Layout layout = layout(file);
        try {
            return plan(file, layout, waiting);
        }
        catch (RuntimeException ex) {
            // A value or a page head it cannot parse: not a file the scrub understands.
            throw new Unscrubbable("unreadable: " + ex.getClass().getSimpleName());
        }
    }

    /** What the scrub needs of the layout map, the meta map's names and the store header, the store closed. */
    private record Layout(Map<Integer, ChunkInfo> chunks, Map<Integer, Long> roots, int metaId,
            Map<String, Object> header, Map<Integer, String> names) {
    }

    /**
     * The store's layout, parsed: the copy of the layout map (the chunks' entries hold their occupancy bitmaps in hex,
     * four times the size of the bit sets) is dropped once parsed.
     */
    private static Layout layout(Path file) throws Unscrubbable {
        Map<String, String> layout;
        Map<String, Object> header;
        Map<Integer, String> names = new HashMap<>();
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            layout = new TreeMap<>(store.getLayoutMap());
            header = new HashMap<>(store.getStoreHeader());
            store.getMetaMap().forEach((key, value) -> {
                if (key.startsWith("map.")) {
                    names.put(parseHexInt(key.substring("map.".length())), DataUtils.parseMap(value).get("name"));
                }
            });
        }
        catch (RuntimeException ex) {
            throw new Unscrubbable("cannot open the store read-only: " + ex.getClass().getSimpleName());
        }
        if (hex(header, "format", -1) != FORMAT || hex(header, "blockSize", BLOCK) != BLOCK) {
            throw new Unscrubbable("store format " + header.get("format") + ", block size " + header.get("blockSize"));
        }
        if (hex(header, "clean", 0) != 1) {
            throw new Unscrubbable("the store was not closed cleanly");
        }
        try {
            Map<Integer, ChunkInfo> chunks = new HashMap<>();
            Map<Integer, Long> roots = new HashMap<>();
            for (Map.Entry<String, String> entry : layout.entrySet()) {
                String key = entry.getKey();
                if (key.startsWith("chunk.")) {
                    ChunkInfo chunk = ChunkInfo.parse(entry.getValue());
                    chunks.put(chunk.id(), chunk);
                }
                else if (key.startsWith("root.")) {
                    roots.put(parseHexInt(key.substring("root.".length())), parseHexLong(entry.getValue()));
                }
                else if (!key.equals("meta.id")) {
                    throw new Unscrubbable("unknown layout key " + key.substring(0, Math.min(key.length(), 12)));
                }
            }
            if (chunks.isEmpty()) {
                throw new Unscrubbable("no chunk in the layout");
            }
            return new Layout(chunks, roots, parseHexInt(layout.getOrDefault("meta.id", "1")), header, names);
        }
        catch (RuntimeException ex) {
            throw new Unscrubbable("unreadable: " + ex.getClass().getSimpleName());
        }
    }

    private static Plan plan(Path file, Layout layout, int waiting) throws Unscrubbable {
        Map<Integer, ChunkInfo> chunks = layout.chunks();
        Map<String, Object> header = layout.header();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            for (ChunkInfo chunk : chunks.values()) {
                if (chunk.block() < HEADER_BLOCKS || (chunk.block() + chunk.len()) * BLOCK > fileSize) {
                    throw new Unscrubbable("chunk " + chunk.id() + " outside the file");
                }
            }
            // The newest chunk is not in its own layout map yet: H2 finds it through the store header.
            ChunkInfo newest = ChunkInfo.newest(channel, hex(header, "chunk", -1), hex(header, "block", -1));
            if (chunks.containsKey(newest.id())
                    || chunks.values().stream().anyMatch(chunk -> chunk.version() >= newest.version())) {
                throw new Unscrubbable("chunk " + newest.id() + " of the store header is not the newest");
            }
            chunks.put(newest.id(), newest);
            Walk reachable = new Walk(channel, chunks, mapId -> {
                String name = layout.names().get(mapId);
                return mapId != 0 && mapId != layout.metaId()
                        && (name == null || !REGULAR_MAPS.matcher(name).matches());
            }, waiting);
            reachable.from(newest.layoutRoot(), layout.roots());
            List<long[]> ranges = new ArrayList<>();
            Map<Integer, BitSet> zero = new HashMap<>();
            Map<Integer, BitSet> empty = new HashMap<>();
            int[] counts = new int[5];
            // A dropped map: no meta entry (H2 cannot open it again), no root, and an id H2 will not give again.
            IntPredicate dropped = mapId -> mapId != 0 && mapId != layout.metaId()
                    && !layout.names().containsKey(mapId) && !layout.roots().containsKey(mapId)
                    && mapId <= newest.lastMapId();
            for (ChunkInfo chunk : chunks.values()) {
                long[] toc = chunk.readToc(channel);
                reachable.holding(toc.length);
                BitSet emptied = new BitSet();
                zero.put(chunk.id(), chunk.unusedBytes(channel, toc,
                        reachable.pages.getOrDefault(chunk.id(), new BitSet()),
                        reachable.maybePinned.getOrDefault(chunk.id(), 0), dropped,
                        mapId -> mapId == 0 || mapId == layout.metaId(), ranges, emptied, counts));
                if (!emptied.isEmpty()) {
                    empty.put(chunk.id(), emptied);
                }
                reachable.pages.remove(chunk.id());
            }
            int freeRanges = freeRanges(chunks.values(), fileSize, ranges);
            return new Plan(chunks, zero, empty, merged(ranges), counts[0], counts[1], counts[2], counts[3],
                    counts[4], freeRanges, reachable.held);
        }
        catch (IOException ex) {
            throw new Unscrubbable("cannot read the file: " + ex.getClass().getSimpleName());
        }
    }

    /**
     * The walk of every page reachable from the current roots, into a bit set of page numbers by chunk id. Each
     * internal node is read for its children (its length, page number, map id and type checked, and its entry in its
     * chunk's ToC). A leaf is not read: its position (chunk, offset) waits, with its map id, for its chunk's ToC, read
     * when too many leaves wait (the chunk with the most first: the walk goes map by map, whose pages cluster in a few
     * chunks) and at the end; there it must be, same map, a leaf. A page reached twice is walked once.
     */
    private static final class Walk {

        private final FileChannel channel;

        private final Map<Integer, ChunkInfo> chunks;

        private final IntPredicate mayBeSingleWriter;

        private final int waiting;

        /** Reached pages by chunk id. */
        final Map<Integer, BitSet> pages = new HashMap<>();

        /** By chunk id, how many reached pages belong to maps whose pages H2 may pin. */
        final Map<Integer, Integer> maybePinned = new HashMap<>();

        /** Leaves waiting for their chunk's ToC, by chunk id: offset and map id in one long each. */
        private final Map<Integer, LongList> leaves = new HashMap<>();

        private int waitingLeaves;

        long held;

        Walk(FileChannel channel, Map<Integer, ChunkInfo> chunks, IntPredicate mayBeSingleWriter, int waiting) {
            this.channel = channel;
            this.chunks = chunks;
            this.mayBeSingleWriter = mayBeSingleWriter;
            this.waiting = waiting;
        }

        void from(long layoutRoot, Map<Integer, Long> roots) throws IOException, Unscrubbable {
            LongList todo = new LongList();
            todo.add(layoutRoot);
            todo.add(0);
            roots.forEach((mapId, pos) -> {
                if (DataUtils.isPageSaved(pos)) {
                    todo.add(pos);
                    todo.add(mapId);
                }
            });
            while (todo.size() > 0) {
                int mapId = (int) todo.pop();
                long pos = todo.pop();
                int chunkId = DataUtils.getPageChunkId(pos);
                int offset = DataUtils.getPageOffset(pos);
                ChunkInfo chunk = chunks.get(chunkId);
                if (chunk == null) {
                    throw new Unscrubbable("a page of map " + mapId + " in chunk " + chunkId + ", not in the layout");
                }
                if (offset < 0 || mapId < 0) {
                    throw new Unscrubbable("a page of map " + mapId + " in chunk " + chunkId + " not in its ToC");
                }
                if (DataUtils.isLeafPosition(pos)) {
                    leaves.computeIfAbsent(chunkId, id -> new LongList()).add((long) offset << 32 | mapId);
                    if (++waitingLeaves > waiting) {
                        leavesOf(leaves.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                            .orElseThrow().getKey());
                    }
                    continue;
                }
                Node node = chunk.internalNode(channel, offset, mapId);
                if (reach(chunkId, node.pageNo(), mapId)) {
                    for (long child : node.children()) {
                        todo.add(child);
                        todo.add(mapId);
                    }
                }
            }
            while (!leaves.isEmpty()) {
                leavesOf(leaves.keySet().iterator().next());
            }
        }

        /** The leaves waiting in this chunk, found in its ToC, reached. */
        private void leavesOf(int chunkId) throws IOException, Unscrubbable {
            LongList waiting = leaves.remove(chunkId);
            long[] toc = chunks.get(chunkId).readToc(channel);
            holding(waitingLeaves + (long) toc.length);
            for (int i = 0; i < waiting.size(); i++) {
                int offset = (int) (waiting.get(i) >>> 32);
                int mapId = (int) waiting.get(i);
                int pageNo = pageNo(toc, offset);
                if (pageNo < 0 || DataUtils.getPageMapId(toc[pageNo]) != mapId
                        || !DataUtils.isLeafPosition(toc[pageNo])) {
                    throw new Unscrubbable("a page of map " + mapId + " in chunk " + chunkId + " not in its ToC");
                }
                reach(chunkId, pageNo, mapId);
            }
            waitingLeaves -= waiting.size();
        }

        /** Marks the page reached; false when it already was. */
        private boolean reach(int chunkId, int pageNo, int mapId) {
            BitSet reached = pages.computeIfAbsent(chunkId, id -> new BitSet());
            if (reached.get(pageNo)) {
                return false;
            }
            reached.set(pageNo);
            if (mayBeSingleWriter.test(mapId)) {
                maybePinned.merge(chunkId, 1, Integer::sum);
            }
            return true;
        }

        void holding(long longs) {
            held = Math.max(held, longs);
        }
    }

    /** The ranges of whole blocks outside every chunk, after the two store-header blocks, to the end of the file. */
    private static int freeRanges(Iterable<ChunkInfo> chunks, long fileSize, List<long[]> ranges)
            throws Unscrubbable {
        List<ChunkInfo> byBlock = new ArrayList<>();
        chunks.forEach(byBlock::add);
        byBlock.sort(Comparator.comparingLong(ChunkInfo::block));
        long free = (long) HEADER_BLOCKS * BLOCK;
        int count = 0;
        for (ChunkInfo chunk : byBlock) {
            long start = chunk.block() * BLOCK;
            if (start < free) {
                throw new Unscrubbable("chunk " + chunk.id() + " overlaps another");
            }
            if (start > free) {
                ranges.add(new long[] { free, start });
                count++;
            }
            free = start + (long) chunk.len() * BLOCK;
        }
        if (fileSize > free) {
            ranges.add(new long[] { free, fileSize });
            count++;
        }
        return count;
    }

    /** Sorted, and ranges that touch joined: dead pages often follow one another, one write zeroes them all. */
    static List<long[]> merged(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(range -> range[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] range : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1]) {
                last[1] = Math.max(last[1], range[1]);
            }
            else {
                merged.add(new long[] { range[0], range[1] });
            }
        }
        return merged;
    }

    /** A growable array of longs: no object per entry. */
    private static final class LongList {

        private long[] values = new long[4];

        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size + (size >> 1) + 4);
            }
            values[size++] = value;
        }

        long get(int index) {
            return values[index];
        }

        long pop() {
            return values[--size];
        }

        int size() {
            return size;
        }
    }

    /** An internal node: its number in its chunk's ToC and its children's positions. */
    record Node(int pageNo, long[] children) {
    }

    /** The index of the page at this offset in a ToC (sorted by offset), or -1. */
    static int pageNo(long[] toc, int offset) {
        int low = 0;
        int high = toc.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = DataUtils.getPageOffset(toc[mid]);
            if (at < offset) {
                low = mid + 1;
            }
            else if (at > offset) {
                high = mid - 1;
            }
            else {
                return mid;
            }
        }
        return -1;
    }

    /** A chunk as the layout map describes it ({@code chunk.<id>}), with what the scrub needs of it. */
    record ChunkInfo(int id, long block, int len, int pages, int livePages, int pinCount, int tocPos, long version,
            long layoutRoot, int lastMapId, BitSet occupancy) {

        static ChunkInfo parse(String value) throws Unscrubbable {
            try {
                Map<String, String> map = DataUtils.parseMap(value);
                return parse(map, parseHexLong(map.get("block")));
            }
            catch (RuntimeException ex) {
                throw new Unscrubbable("unreadable chunk entry: " + ex.getClass().getSimpleName());
            }
        }

        private static ChunkInfo parse(Map<String, String> map, long block) throws Unscrubbable {
            int id = parseHexInt(map.get("chunk"));
            int pages = parseHexInt(map.get("pages"));
            int livePages = map.containsKey("livePages") ? parseHexInt(map.get("livePages")) : pages;
            String occupancy = map.get("occupancy");
            BitSet dead = occupancy == null ? new BitSet() : BitSet.valueOf(HexFormat.of().parseHex(occupancy));
            ChunkInfo chunk = new ChunkInfo(id, block, parseHexInt(map.get("len")), pages, livePages,
                    map.containsKey("pinCount") ? parseHexInt(map.get("pinCount")) : 0, map.containsKey("toc") ? parseHexInt(map.get("toc")) : 0, parseHexLong(map.get("version")),
                    map.containsKey("root") ? parseHexLong(map.get("root")) : 0,
                    map.containsKey("map") ? parseHexInt(map.get("map")) : 0, dead);
            if (chunk.tocPos() <= 0 || chunk.len() <= 0 || dead.cardinality() != pages - livePages
                    || dead.length() > pages || chunk.pinCount() < 0 || chunk.pinCount() > livePages
                    || chunk.tocPos() + pages * 8L > chunk.len() * (long) BLOCK - FOOTER) {
                throw new Unscrubbable("chunk " + id + ": no ToC or inconsistent occupancy");
            }
            return chunk;
        }

        /**
         * The chunk the store header names, from its own header (which holds the layout map's root): the newest,
         * after a clean shutdown. Its pages are all live to H2 (their removal would be counted in a later chunk).
         */
        static ChunkInfo newest(FileChannel channel, long id, long block) throws IOException, Unscrubbable {
            if (block < HEADER_BLOCKS || (block + 1) * BLOCK > channel.size()) {
                throw new Unscrubbable("store header names no chunk");
            }
            ByteBuffer buffer = read(channel, block * BLOCK, 1024);
            String text = new String(buffer.array(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf('\n');
            if (end < 0) {
                throw new Unscrubbable("chunk " + id + ": no header");
            }
            ChunkInfo chunk;
            try {
                chunk = parse(DataUtils.parseMap(text.substring(0, end).trim()), block);
            }
            catch (RuntimeException ex) {
                throw new Unscrubbable("chunk " + id + ": unreadable header");
            }
            if (chunk.id() != id || chunk.layoutRoot() == 0 || (block + chunk.len()) * BLOCK > channel.size()) {
                throw new Unscrubbable("chunk " + id + ": header of another chunk, or no layout root");
            }
            return chunk;
        }

        long start() {
            return block * BLOCK;
        }

        long[] readToc(FileChannel channel) throws IOException, Unscrubbable {
            if (tocPos + (long) pages * 8 > (long) len * BLOCK) {
                throw new Unscrubbable("chunk " + id + ": ToC beyond the chunk");
            }
            ByteBuffer buffer = read(channel, start() + tocPos, pages * 8);
            long[] toc = new long[pages];
            buffer.asLongBuffer().get(toc);
            for (int i = 1; i < pages; i++) {
                if (DataUtils.getPageOffset(toc[i]) <= DataUtils.getPageOffset(toc[i - 1])) {
                    throw new Unscrubbable("chunk " + id + ": ToC not in offset order");
                }
            }
            if (pages > 0 && DataUtils.getPageOffset(toc[pages - 1]) >= tocPos) {
                throw new Unscrubbable("chunk " + id + ": a page after the ToC");
            }
            return toc;
        }

        /**
         * An internal node, its child positions, after its length, page number, map id and type checked, and its entry
         * in the ToC (read alone): at this offset, of this map, an internal node.
         */
        Node internalNode(FileChannel channel, int offset, int mapId) throws IOException, Unscrubbable {
            ByteBuffer head = pageHead(channel, offset);
            int length = head.getInt();
            head.getShort();
            int pageNo = readVarInt(head);
            if (pageNo < 0 || pageNo >= pages || readVarInt(head) != mapId) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " is not where its ToC says");
            }
            long toc = read(channel, start() + tocPos + pageNo * 8L, 8).getLong();
            if (DataUtils.getPageOffset(toc) != offset || DataUtils.getPageMapId(toc) != mapId
                    || DataUtils.isLeafPosition(toc)) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " is not where its ToC says");
            }
            int keys = readVarInt(head);
            int type = head.get();
            int childrenAt = head.position();
            if ((type & 1) != 1 || keys < 0 || childrenAt + (keys + 1L) * 8 > length) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " is not an internal node");
            }
            ByteBuffer children = read(channel, start() + offset + childrenAt, (keys + 1) * 8);
            long[] positions = new long[keys + 1];
            children.asLongBuffer().get(positions);
            return new Node(pageNo, positions);
        }

        /**
         * The pages of this chunk that hold nothing H2 reads (returned), and its slack (added to the ranges): each page that H2 counts dead and nothing
         * reaches, each stray page (below), and the slack between the ToC and the footer (H2 writes a chunk from a
         * reused buffer without clearing it: old page bytes of an earlier chunk can sit there).
         * <p>
         * A stray page is not reachable yet counted live by H2: H2 lost the record of its removal. H2 queues a
         * removed page in memory and counts it dead only when it writes a later version's chunk; the removals of the
         * version its last chunk closes on are dropped at close ({@code FileStore.stop}: {@code commit},
         * then {@code clearCaches}). It happens to the pages of an undo log emptied by the last commits before a
         * close, and to the pages of a table or index dropped shortly before it (their old values are exactly what
         * must go). After a restart H2 reads a page of a chunk in two ways only: from a map's root down (never a
         * stray), and to move the pages it counts live out of a chunk it compacts ({@code FileStore.rewriteChunks}:
         * each ToC entry's map, looked up among the open maps, {@code MVMap.rewritePage} reading the page). A stray
         * page is zeroed in two cases, where that second read provably never happens:
         * <ul>
         * <li>the chunk is never moved page by page: H2 does not compact a chunk while it holds a pinned
         * (undo-log) page counted live ({@code pinCount}); when more pages are pinned in the chunk than reachable
         * pages of maps that can be pinned, at least one pinned page is a stray that nothing will ever remove;</li>
         * <li>the page's map was dropped: {@code rewriteChunks} skips a page whose map is not open, and H2 can no
         * longer open it: it opens a map only from its meta entry ({@code MVStore.openMap(int)} fails without one)
         * or creates a new one with an id above the last one, which it reads at start from the newest chunk's
         * {@code map} attribute; so the map has no {@code map.<id>} entry, no {@code root.<id>} entry, and an id
         * not above the newest chunk's {@code map}.</li>
         * </ul>
         * A stray page of the store's own maps (the layout map: chunk entries and map roots; the meta map: map
         * names and settings; no row, no index entry) is kept as it is: H2 opens both maps, so it may read the page
         * (and, intact, find it outdated). A stray page of any other map that H2 may still open (a table or an index:
         * old rows, old index keys) is emptied instead of zeroed: H2 may read it to move it, so it must stay a page
         * ({@link #emptyPage}). Any other disagreement refuses the scrub.
         *
         * @param droppedMap whether a map id is that of a dropped map (above)
         * @param storeMap whether a map id is the layout's or the meta map's
         * @param empty set: the stray pages of live maps, to be replaced by {@link #emptyPage}
         * @param counts incremented: [0] dead pages, [1] stray pages zeroed, [2] of them, pages of dropped maps,
         * [3] stray pages of the store's own maps kept, [4] stray pages of live maps emptied
         */
        BitSet unusedBytes(FileChannel channel, long[] toc, BitSet reachable, int reachableMaybePinned,
                IntPredicate droppedMap, IntPredicate storeMap, List<long[]> ranges, BitSet empty, int[] counts)
                throws IOException, Unscrubbable {
            BitSet zero = new BitSet();
            boolean neverEvacuated = pinCount > reachableMaybePinned;
            for (int pageNo = 0; pageNo < pages; pageNo++) {
                int offset = DataUtils.getPageOffset(toc[pageNo]);
                boolean reached = reachable.get(pageNo);
                boolean deadToH2 = occupancy.get(pageNo);
                if (reached && deadToH2) {
                    throw new Unscrubbable("chunk " + id + ": page " + pageNo + " counted dead but reachable");
                }
                if (reached) {
                    continue;
                }
                int mapId = DataUtils.getPageMapId(toc[pageNo]);
                boolean ofDroppedMap = droppedMap.test(mapId);
                if (!deadToH2 && !neverEvacuated && !ofDroppedMap && storeMap.test(mapId)) {
                    counts[3]++;
                    continue;
                }
                int end = pageStart(toc, pageNo + 1);
                if (!deadToH2 && !neverEvacuated && !ofDroppedMap) {
                    emptyPage(channel, toc, pageNo);
                    empty.set(pageNo);
                    counts[4]++;
                    continue;
                }
                checkPageSpan(channel, offset, end, pageNo);
                zero.set(pageNo);
                counts[deadToH2 ? 0 : 1]++;
                if (!deadToH2 && ofDroppedMap) {
                    counts[2]++;
                }
            }
            long slack = start() + tocPos + pages * 8L;
            long footer = start() + (long) len * BLOCK - FOOTER;
            if (footer > slack) {
                ranges.add(new long[] { slack, footer });
            }
            return zero;
        }

        /**
         * The bytes that replace a stray page of a map H2 may open: the same page (length, check value, page number,
         * map id, node or leaf: the head H2 checks against its place) with no key, every other byte zero. H2 reads
         * such a page in one place only, {@code MVMap.rewritePage} (from {@code FileStore.rewriteChunks}), which
         * returns at once for a page without a key, before it looks the page up in the map. With no key H2 reads no
         * value either: of a leaf's value block, nothing or, for a table's versioned values, one flag byte (zero: no
         * entry); of an internal node, its one child "none" (position 0, count 0). All zero bytes. Refused when the
         * page is not where its ToC says (an earlier zeroing included) or is too short to hold that.
         */
        ByteBuffer emptyPage(FileChannel channel, long[] toc, int pageNo) throws IOException, Unscrubbable {
            int offset = DataUtils.getPageOffset(toc[pageNo]);
            int end = pageStart(toc, pageNo + 1);
            ByteBuffer head = pageHead(channel, offset);
            int length = head.getInt();
            short check = head.getShort();
            int number = readVarInt(head);
            int mapId = readVarInt(head);
            int keysAt = head.position();
            boolean leaf = DataUtils.isLeafPosition(toc[pageNo]);
            if (length != end - offset || !checks(offset, length, check) || number != pageNo
                    || mapId != DataUtils.getPageMapId(toc[pageNo]) || length < keysAt + 2 + (leaf ? 1 : 8 + 1)) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " of map " + mapId
                        + " counted live but not reachable, and not a page the scrub can empty");
            }
            ByteBuffer page = ByteBuffer.allocate(length);
            page.put(head.array(), head.arrayOffset(), keysAt)
                .put((byte) 0)
                .put((byte) (leaf ? DataUtils.PAGE_TYPE_LEAF : DataUtils.PAGE_TYPE_NODE));
            return page.clear();
        }

        /**
         * Pages follow one another without a gap, the last up to the ToC: the page's own length must be exactly its
         * span, once its check value (chunk id, offset, length) confirms a page starts there. A span already zeroed
         * (an earlier scrub) is accepted as it is.
         */
        private void checkPageSpan(FileChannel channel, int offset, int end, int pageNo)
                throws IOException, Unscrubbable {
            ByteBuffer head = read(channel, start() + offset, Math.min(6, end - offset));
            if (head.remaining() < 6) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " too short");
            }
            int length = head.getInt();
            short check = head.getShort();
            if (length == 0 && check == 0) {
                return;
            }
            if (length != end - offset || !checks(offset, length, check)) {
                throw new Unscrubbable("chunk " + id + ": page " + pageNo + " is not where its ToC says");
            }
        }

        /** Where page {@code pageNo} starts in the chunk; for the page after the last, the ToC's position. */
        int pageStart(long[] toc, int pageNo) {
            return pageNo < pages ? DataUtils.getPageOffset(toc[pageNo]) : tocPos;
        }

        /** Whether a page's check value is the one H2 writes for its chunk, offset and length. */
        private boolean checks(int offset, int length, short check) {
            return check == (short) (DataUtils.getCheckValue(id) ^ DataUtils.getCheckValue(offset)
                    ^ DataUtils.getCheckValue(length));
        }

        private ByteBuffer pageHead(FileChannel channel, int offset) throws IOException, Unscrubbable {
            int room = Math.min(PAGE_HEAD, tocPos - offset);
            ByteBuffer head = read(channel, start() + offset, room);
            int length = head.getInt(0);
            if (length < 7 || offset + (long) length > tocPos) {
                throw new Unscrubbable("chunk " + id + ": page length out of the chunk at offset " + offset);
            }
            return head;
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException, Unscrubbable {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new Unscrubbable("file ends inside a chunk");
            }
        }
        return buffer.flip();
    }

    private static int readVarInt(ByteBuffer buffer) throws Unscrubbable {
        try {
            return DataUtils.readVarInt(buffer);
        }
        catch (RuntimeException ex) {
            throw new Unscrubbable("unreadable page head");
        }
    }

    private static long hex(Map<String, Object> header, String key, long otherwise) {
        Object value = header.get(key);
        if (value == null) {
            return otherwise;
        }
        return value instanceof Number number ? number.longValue() : parseHexLong(value.toString());
    }

    private static int parseHexInt(String value) {
        return (int) Long.parseLong(value, 16);
    }

    private static long parseHexLong(String value) {
        return Long.parseUnsignedLong(value, 16);
    }
}
