package io.walkerd.store.sqlite;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the file's last commit stands, read from the WAL index header in the {@code -shm} file beside a WAL-mode
 * database (sqlite.org/walformat.html, section 2.1), which every connection of every process on the file shares.
 * The header holds {@code iChange}, which each committed transaction of any connection increments by one, and
 * {@code mxFrame}, the WAL frame of the last commit; rolled-back transactions, reads and checkpoints leave both as
 * they are (a WAL restart changes them with the next commit). Their pair is the {@link #stamp}: equal stamps mean
 * nobody committed in between, a stamp one commit further ({@link #oneCommitApart}) means exactly one commit.
 *
 * <p>The header is kept twice; a writer updates the second copy, then the first. It is read as SQLite reads it: the
 * first copy, then the second, and a stamp only when both agree ({@link #UNKNOWN} while a commit is writing it).
 * Read-only and mapped into memory: a stamp costs a few loads, no system call.
 */
final class WalHeader {
    /** No stamp: the header is being written, or cannot be read. Never equal to a valid stamp. */
    static final long UNKNOWN = -1;

    private static final int COPY = 48;
    private static final int I_CHANGE = 8;
    private static final int MX_FRAME = 16;

    private final MappedByteBuffer header;

    private WalHeader(MappedByteBuffer header) { this.header = header; }

    /** The header of the WAL-mode database {@code file}, which must be open (its {@code -shm} file exists). */
    static WalHeader of(Path file) throws IOException {
        Path shm = Path.of(file.toAbsolutePath() + "-shm");
        try (FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ)) {
            if (channel.size() < 2 * COPY) throw new IOException(shm + " is too short to hold a WAL index header");
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, 2 * COPY);
            map.order(ByteOrder.nativeOrder()); // the header is in the machine's byte order
            return new WalHeader(map);
        }
    }

    /** The last commit as a number (see the class comment), or {@link #UNKNOWN}. */
    long stamp() {
        try {
            long first = pair(0);
            VarHandle.acquireFence(); // the first copy is read before the second, as SQLite does
            long second = pair(COPY);
            if (first != second) return UNKNOWN;
            return first == UNKNOWN ? UNKNOWN - 1 : first;
        } catch (InternalError fault) { // the file was truncated under the mapping: nothing can be told
            return UNKNOWN;
        }
    }

    private long pair(int at) {
        long change = header.getInt(at + I_CHANGE) & 0xffffffffL;
        long frame = header.getInt(at + MX_FRAME) & 0xffffffffL;
        return change << 32 | frame;
    }

    /** True when {@code after} is {@code before} and exactly one commit (whatever its frame). */
    static boolean oneCommitApart(long before, long after) {
        if (before == UNKNOWN || after == UNKNOWN) return false;
        return ((before >>> 32) + 1 & 0xffffffffL) == after >>> 32;
    }
}
