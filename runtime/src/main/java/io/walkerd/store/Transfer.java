package io.walkerd.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Moves a whole deployment between stores (the embedded file and MongoDB, either way) through a file of JSON
 * lines, one document a line: {@code {"collection": "node", "document": {...}}}, the document in
 * {@link StoredJson}'s form. Both directions stream: neither the file nor the store is ever held in memory whole.
 */
public final class Transfer {
    /**
     * Reads and prints lines. A line nests its document one level deeper than the store did, and an export must
     * import whatever a store held: so twice any store's depth, and no length limits on reading.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2_000).build())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2_000)
                    .maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).build())
            .build());

    private Transfer() {}

    /**
     * Writes every document of {@code store} to {@code file}. The file appears only once it is complete (it is
     * written beside it and then moved), so an interrupted export never leaves a file that looks whole.
     *
     * @return how many documents of each collection were written, in {@link Store#COLLECTIONS} order
     */
    public static Map<String, Long> exportTo(Store store, Path file) throws IOException {
        Map<String, Long> counts = emptyCounts();
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path partial = Files.createTempFile(folder, file.getFileName().toString(), ".partial");
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
                 BufferedWriter out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16)) {
                store.exportAll(e -> {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("collection", e.collection());
                    line.set("document", e.document());
                    try {
                        out.write(JSON.writeValueAsString(line));
                        out.write('\n');
                    } catch (IOException failed) {
                        throw new UncheckedIOException(failed);
                    }
                    counts.merge(e.collection(), 1L, Long::sum);
                });
                out.flush();
                channel.force(true); // an export is often the backup: on the disk before it takes the name
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return counts;
    }

    /**
     * Writes every document of {@code file} into {@code store}, replacing documents with the same id. Blank lines
     * are skipped.
     *
     * @return how many documents of each collection were read, in {@link Store#COLLECTIONS} order
     * @throws IllegalArgumentException naming the line, for a line that is not a document of a known collection
     */
    public static Map<String, Long> importFrom(Path file, Store store) throws IOException {
        Map<String, Long> counts = emptyCounts();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Lines lines = new Lines(file, in, counts);
            try {
                store.importAll(() -> lines);
            } catch (BadLine e) {
                throw e;
            } catch (IllegalArgumentException refused) {
                // the store refused a document; it reads them in order, so it was this line or one shortly before
                throw new IllegalArgumentException(file + " at line " + lines.lineNumber + " or before: "
                        + refused.getMessage(), refused);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return counts;
    }

    private static Map<String, Long> emptyCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : Store.COLLECTIONS) counts.put(c, 0L);
        return counts;
    }

    /** The documents of a file, read one line ahead of the store. */
    private static final class Lines implements Iterator<Store.Exported> {
        private final Path file;
        private final BufferedReader in;
        private final Map<String, Long> counts;
        private Store.Exported next;
        private long lineNumber;

        Lines(Path file, BufferedReader in, Map<String, Long> counts) {
            this.file = file;
            this.in = in;
            this.counts = counts;
        }

        @Override
        public boolean hasNext() {
            if (next == null) next = read();
            return next != null;
        }

        @Override
        public Store.Exported next() {
            if (!hasNext()) throw new NoSuchElementException();
            Store.Exported e = next;
            next = null;
            counts.merge(e.collection(), 1L, Long::sum);
            return e;
        }

        private Store.Exported read() {
            try {
                String line;
                do {
                    line = in.readLine();
                    if (line == null) return null;
                    lineNumber++;
                } while (line.isBlank());
                return parse(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Store.Exported parse(String line) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw bad("is not JSON");
            }
            String collection = n.path("collection").asText("");
            if (!Store.COLLECTIONS.contains(collection)) {
                throw bad("names no known collection (\"collection\" is one of " + Store.COLLECTIONS + ")");
            }
            if (!(n.get("document") instanceof ObjectNode document)) throw bad("has no \"document\" object");
            return new Store.Exported(collection, document);
        }

        private BadLine bad(String what) {
            return new BadLine(file + " line " + lineNumber + " " + what);
        }
    }

    /** A line of the file that is not a document of a known collection. */
    private static final class BadLine extends IllegalArgumentException {
        BadLine(String message) { super(message); }
    }
}
