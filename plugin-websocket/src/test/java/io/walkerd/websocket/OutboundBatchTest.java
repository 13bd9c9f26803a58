package io.walkerd.websocket;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages queued together are handed to Jetty together: each but the last in batch mode (Jetty copies it into its
 * batch buffer), the last one flushing them all in one write. Jetty's session is the only stand-in here (a recording
 * {@link CoreSession.Empty}, which completes every frame at once, as a socket with room does; or holds the
 * callbacks, as a socket whose buffer is full).
 */
class OutboundBatchTest {

    /** Records what the queue hands to Jetty; completes each frame at once unless told to hold them. */
    private static final class Recording extends CoreSession.Empty {
        final List<String> texts = new ArrayList<>();
        final List<Boolean> batched = new ArrayList<>();
        final List<Callback> held = new ArrayList<>();
        boolean hold;

        @Override
        public void sendFrame(OutgoingEntry entry) {
            texts.add(StandardCharsets.UTF_8.decode(entry.getFrame().getPayload()).toString());
            batched.add(entry.isBatch());
            if (hold) held.add(entry.getCallback());
            else entry.getCallback().succeeded();
        }
    }

    private static OutboundQueue queue(Recording session) {
        return new OutboundQueue(session, 1000, 1 << 20, e -> { throw new AssertionError(e); });
    }

    @Test
    void aLoneMessageIsWrittenAtOnceAndFlushed() {
        Recording s = new Recording();
        OutboundQueue q = queue(s);
        q.offer(Outgoing.of("{\"n\":1}"));
        assertThat(s.texts).containsExactly("{\"n\":1}");
        assertThat(s.batched).containsExactly(false);
    }

    @Test
    void insideABatchNothingIsWrittenUntilItEndsThenEveryQueueIsWrittenOnceWithOneFlush() {
        Recording a = new Recording();
        Recording b = new Recording();
        OutboundQueue qa = queue(a);
        OutboundQueue qb = queue(b);
        OutboundQueue.batched(() -> {
            for (int i = 1; i <= 3; i++) {
                qa.offer(Outgoing.of("{\"n\":" + i + "}"));
                qb.offer(Outgoing.of("{\"n\":" + i + "}"));
            }
            OutboundQueue.batched(() -> qa.offer(Outgoing.of("{\"n\":4}"))); // a nested batch joins the outer one
            assertThat(a.texts).isEmpty();
            assertThat(b.texts).isEmpty();
        });
        assertThat(a.texts).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        assertThat(a.batched).containsExactly(true, true, true, false);
        assertThat(b.texts).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(b.batched).containsExactly(true, true, false);
        assertThat(qa.messages()).isZero();
    }

    @Test
    void whatQueuesBehindASlowWriteLeavesInOneFlushWhenTheWriteCompletes() {
        Recording s = new Recording();
        OutboundQueue q = queue(s);
        s.hold = true;
        q.offer(Outgoing.of("{\"n\":1}"));       // taken by a write that does not complete yet
        q.offer(Outgoing.of("{\"n\":2}"));
        q.offer(Outgoing.of("{\"n\":3}"));
        assertThat(s.texts).containsExactly("{\"n\":1}");
        s.hold = false;
        s.held.get(0).succeeded();
        assertThat(s.texts).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(s.batched).containsExactly(false, true, false);
        assertThat(q.messages()).isZero();
    }

    @Test
    void aCloseAfterQueuedMessagesFollowsThemAndTheLastMessageBeforeItIsNotLeftInTheBatch() {
        Recording s = new Recording();
        List<String> closes = new ArrayList<>();
        OutboundQueue q = new OutboundQueue(new CoreSession.Empty() {
            @Override
            public void sendFrame(OutgoingEntry entry) { s.sendFrame(entry); }

            @Override
            public void close(int code, String reason, Callback callback) {
                closes.add(code + " " + reason);
                callback.succeeded();
            }
        }, 1000, 1 << 20, e -> { throw new AssertionError(e); });
        OutboundQueue.batched(() -> {
            q.offer(Outgoing.of("{\"n\":1}"));
            q.offer(Outgoing.of("{\"n\":2}"));
            q.closeAfterFlush(1001, "bye");
        });
        // the message before the close frame is batched; Jetty flushes its batch buffer with the close frame
        assertThat(s.texts).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(s.batched).containsExactly(true, true);
        assertThat(closes).containsExactly("1001 bye");
    }
}
