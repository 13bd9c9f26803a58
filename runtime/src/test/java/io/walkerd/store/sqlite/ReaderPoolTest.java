package io.walkerd.store.sqlite;

import io.walkerd.store.StoreUnavailable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The read connections of a file store, on a real SQLite file: one thread per connection at a time, whatever the load. */
class ReaderPoolTest {
    @TempDir
    Path dir;
    private final List<Session> sessions = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private ReaderPool pool(int size) throws SQLException {
        for (int i = 0; i < size; i++) {
            sessions.add(new Session(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("walkerd.db"))));
        }
        return new ReaderPool(sessions);
    }

    private static void awaitFor(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("waited 30 s for the test");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noConnectionIsUsedByTwoThreadsAtOnceWhenThreadsOutnumberThem() throws Exception {
        ReaderPool pool = pool(3);
        Set<Session> inUse = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger(), reads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < 24; t++) {
            readers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 300; i++) {
                    pool.read(s -> {
                        if (!inUse.add(s)) overlaps.incrementAndGet();
                        try {
                            return s.number("SELECT 1");
                        } finally {
                            inUse.remove(s);
                        }
                    });
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> r : readers) r.get(60, TimeUnit.SECONDS);

        assertThat(overlaps).hasValue(0);
        assertThat(reads).hasValue(24 * 300);
        pool.close();
    }

    /** A read that holds the pool's one connection (answering 1) until {@code letGo}; returns once it holds it. */
    private Future<Long> holdTheOnlyConnection(ReaderPool pool, CountDownLatch letGo) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<Long> holder = threads.submit(() -> pool.read(s -> {
            holding.countDown();
            awaitFor(letGo);
            return s.number("SELECT 1");
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    @Test
    void aReadWaitsWhileEveryConnectionIsTakenAndGetsTheFirstOneReturned() throws Exception {
        ReaderPool pool = pool(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Future<Long> holder = holdTheOnlyConnection(pool, letGo);
        List<Thread> waiter = new ArrayList<>();
        Future<Long> waiting = threads.submit(() -> {
            synchronized (waiter) { waiter.add(Thread.currentThread()); }
            return pool.read(s -> s.number("SELECT 2"));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            synchronized (waiter) { return !waiter.isEmpty() && waiter.get(0).getState() == Thread.State.TIMED_WAITING; }
        });
        assertThat(waiting).isNotDone();

        letGo.countDown();
        assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(2L);
        pool.close();
    }

    @Test
    void closingRefusesTheReadsWaitingAndClosesEachConnectionOnceItIsReturned() throws Exception {
        ReaderPool pool = pool(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Future<Long> holder = holdTheOnlyConnection(pool, letGo);
        Future<Long> waiting = threads.submit(() -> pool.read(s -> s.number("SELECT 2")));
        Future<?> closing = threads.submit(pool::close);

        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("the store is closed");
        assertThat(closing).isNotDone(); // the connection in use is not closed under its reader
        letGo.countDown();
        assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        closing.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> sessions.get(0).number("SELECT 1")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> pool.read(s -> s.number("SELECT 1"))).isInstanceOf(StoreUnavailable.class);
    }
}
