package io.walkerd.websocket;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The ordered outbound messages of one connection. Producers (walkers, other clients, Redis) only append and never
 * wait; one writer at a time hands the next message to Jetty as a TEXT frame (asynchronously) and takes the one
 * after when Jetty reports it written. Messages arrive already encoded ({@link Outgoing}), so a fan-out encodes
 * once, not once per connection. The queue is bounded by messages and by bytes: a producer that would pass a
 * bound gets {@link Offer#FULL} and the connection is closed as not reading.
 *
 * <p>Messages queued together leave together: while another message waits behind the one being handed over, the
 * frame goes to Jetty in batch mode (Jetty copies it into its batch buffer and completes it at once), so the last
 * one's write carries them all in one system call. A thread that delivers several messages to the same connections
 * (the relay of messages from other instances) appends inside {@link #batched} and each queue is written once at
 * the end, instead of once per message.
 */
final class OutboundQueue {

    /** The queues a thread appended to inside {@link #batched}: written when the outermost batch ends. */
    private static final class Batch {
        final long id = BATCH_IDS.incrementAndGet();
        final ArrayList<OutboundQueue> held = new ArrayList<>();
    }

    private static final AtomicLong BATCH_IDS = new AtomicLong();
    private static final ThreadLocal<Batch> BATCH = new ThreadLocal<>();

    enum Offer { QUEUED, FULL, CLOSED }

    /** A queued text, or the close frame that ends the queue. */
    private record Entry(Outgoing message, int bytes, int closeCode, String closeReason) {
        boolean isClose() { return message == null; }
    }

    /** Jetty's core session: it takes a frame with ready bytes. */
    private final CoreSession core;
    private final int maxMessages;
    private final long maxBytes;
    private final Consumer<Throwable> onWriteFailure;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean sealed;
    /** The id of the batch that holds this queue's writes (a hint: at worst the queue is written twice). */
    private long heldBy;

    OutboundQueue(CoreSession session, int maxMessages, long maxBytes, Consumer<Throwable> onWriteFailure) {
        this.core = session;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.onWriteFailure = onWriteFailure;
    }

    /** Appends a text frame; never blocks. */
    Offer offer(Outgoing message) {
        if (sealed) return Offer.CLOSED;
        int size = message.bytes();
        int m = messages.incrementAndGet();
        long b = bytes.addAndGet(size);
        if (m > maxMessages || b > maxBytes) {
            messages.decrementAndGet();
            bytes.addAndGet(-size);
            return Offer.FULL;
        }
        queue.add(new Entry(message, size, 0, null));
        Batch batch = BATCH.get();
        if (batch == null) {
            drain();
        } else if (heldBy != batch.id) {
            heldBy = batch.id;
            batch.held.add(this);
        }
        return Offer.QUEUED;
    }

    /**
     * Runs {@code appends} with this thread's offers only queued, then writes every queue it appended to, each once
     * for all its new messages. Nested calls join the outer batch.
     */
    static void batched(Runnable appends) {
        Batch b = BATCH.get();
        if (b != null) {
            appends.run();
            return;
        }
        b = new Batch();
        BATCH.set(b);
        try {
            appends.run();
        } finally {
            BATCH.remove();
            for (OutboundQueue q : b.held) q.drain();
        }
    }

    /** Sends what is queued, then the close frame; later offers are refused. */
    void closeAfterFlush(int code, String reason) {
        if (sealed) return;
        sealed = true;
        queue.add(new Entry(null, 0, code, reason));
        drain();
    }

    /** Drops what is queued and refuses later offers (the caller closes the socket itself). */
    void discard() {
        sealed = true;
        queue.clear();
        messages.set(0);
        bytes.set(0);
    }

    boolean isSealed() { return sealed; }

    int messages() { return messages.get(); }

    long bytes() { return bytes.get(); }

    /**
     * Hands messages to Jetty one at a time. A write that Jetty completes inline continues this loop instead of
     * recursing; one that completes later continues from its callback.
     */
    private void drain() {
        while (writing.compareAndSet(false, true)) {
            Entry next = queue.poll();
            if (next == null) {
                writing.set(false);
                if (queue.isEmpty()) return;
                continue; // a producer appended between poll and release
            }
            if (next.isClose()) {
                // the writer stays taken: nothing is written after the close frame
                core.close(next.closeCode(), next.closeReason(), Callback.NOOP);
                return;
            }
            Write write = new Write(next);
            // another message follows at once: batch this one, the next write takes both (a close frame flushes)
            boolean more = queue.peek() != null;
            core.sendFrame(new Frame(OpCode.TEXT, next.message().payload()), write, more);
            if (!write.returned()) return;
        }
    }

    /** Completion of one write; knows whether Jetty completed it before {@code sendText} returned. */
    private final class Write implements Callback {
        private static final int PENDING = 0, RETURNED = 1, DONE = 2;
        private final Entry entry;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        Write(Entry entry) { this.entry = entry; }

        /** Called once {@code sendFrame} returned; true when the write was already done (the loop goes on). */
        boolean returned() { return !state.compareAndSet(PENDING, RETURNED); }

        @Override
        public void succeeded() {
            messages.decrementAndGet();
            bytes.addAndGet(-entry.bytes());
            writing.set(false);
            if (state.getAndSet(DONE) == RETURNED) drain();
        }

        @Override
        public void failed(Throwable cause) {
            sealed = true;
            queue.clear();
            state.set(DONE);
            onWriteFailure.accept(cause);
        }
    }
}
