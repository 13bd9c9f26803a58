package io.walkerd.http;

import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throttles {@code /user/login} with token buckets, one per email and one per client address: each bucket holds
 * up to {@code LOGIN_FAILURES_PER_EMAIL} (or {@code _PER_ADDRESS}) attempts and refills that many per
 * {@code LOGIN_FAILURE_WINDOW_SECONDS}. An attempt takes a token from both before the password is checked (so a
 * throttled guess costs no hashing) and gives them back when the login succeeds: only failures count. Buckets live
 * in this instance's memory.
 */
public final class LoginThrottle {
    /** Buckets kept before full ones (which say nothing a missing bucket does not) are swept out. */
    private static final int SWEEP_ABOVE = 10_000;
    /** Longest email kept as a key (no account has a longer one: registration refuses them). */
    private static final int MAX_EMAIL = 254;

    private final Buckets byEmail;
    private final Buckets byAddress;

    public LoginThrottle(int perEmail, int perAddress, long windowSeconds) {
        if (perEmail < 0 || perAddress < 0) throw new IllegalArgumentException("LOGIN_FAILURES_PER_EMAIL and LOGIN_FAILURES_PER_ADDRESS must not be negative");
        if (windowSeconds < 1) throw new IllegalArgumentException("LOGIN_FAILURE_WINDOW_SECONDS must be at least 1");
        this.byEmail = perEmail == 0 ? null : new Buckets(perEmail, TimeUnit.SECONDS.toNanos(windowSeconds));
        this.byAddress = perAddress == 0 ? null : new Buckets(perAddress, TimeUnit.SECONDS.toNanos(windowSeconds));
    }

    /** From {@code LOGIN_FAILURES_PER_EMAIL} (10), {@code LOGIN_FAILURES_PER_ADDRESS} (100), {@code LOGIN_FAILURE_WINDOW_SECONDS} (900). */
    public static LoginThrottle from(Config config, InsecureSettings insecure) {
        int perEmail = config.getInt("LOGIN_FAILURES_PER_EMAIL", 10);
        int perAddress = config.getInt("LOGIN_FAILURES_PER_ADDRESS", 100);
        LoginThrottle t = new LoginThrottle(perEmail, perAddress, config.getLong("LOGIN_FAILURE_WINDOW_SECONDS", 900));
        if (perEmail == 0) insecure.add("LOGIN_FAILURES_PER_EMAIL=0", "passwords of one account may be guessed without limit");
        if (perAddress == 0) insecure.add("LOGIN_FAILURES_PER_ADDRESS=0", "one address may guess passwords without limit");
        return t;
    }

    /** An attempt that may go on, or the seconds to wait before the next one may. */
    public interface Attempt {
        boolean allowed();

        /** Whole seconds until a refused attempt would be allowed (for {@code Retry-After}); 0 when allowed. */
        long retryAfterSeconds();

        /** The login succeeded: the attempt does not count. */
        void succeeded();
    }

    /** Takes one attempt for {@code email} (null when the body has none) from {@code address}. */
    public Attempt begin(String email, String address) {
        long now = System.nanoTime();
        // the address first: an address that is refused creates no bucket for the emails it sprays
        Bucket a = byAddress == null ? null : byAddress.of(address);
        if (a != null) {
            long wait = a.take(now);
            if (wait > 0) return refused(wait);
        }
        Bucket e = email == null || byEmail == null ? null : byEmail.of(email.length() > MAX_EMAIL ? email.substring(0, MAX_EMAIL) : email);
        if (e != null) {
            long wait = e.take(now);
            if (wait > 0) {
                if (a != null) a.giveBack(now);
                return refused(wait);
            }
        }
        return new Attempt() {
            @Override
            public boolean allowed() { return true; }

            @Override
            public long retryAfterSeconds() { return 0; }

            @Override
            public void succeeded() {
                long t = System.nanoTime();
                if (e != null) e.giveBack(t);
                if (a != null) a.giveBack(t);
            }
        };
    }

    private static Attempt refused(long waitNanos) {
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new Attempt() {
            @Override
            public boolean allowed() { return false; }

            @Override
            public long retryAfterSeconds() { return seconds; }

            @Override
            public void succeeded() {}
        };
    }

    /** The buckets of one kind of key, swept of full ones now and then so that a spray of keys cannot grow them without end. */
    private static final class Buckets {
        private final int capacity;
        private final long windowNanos;
        private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        private final AtomicInteger created = new AtomicInteger();

        Buckets(int capacity, long windowNanos) {
            this.capacity = capacity;
            this.windowNanos = windowNanos;
        }

        Bucket of(String key) {
            Bucket b = buckets.get(key);
            if (b != null) return b;
            b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, windowNanos));
            if (buckets.size() > SWEEP_ABOVE && created.incrementAndGet() % 1000 == 0) sweep();
            return b;
        }

        private void sweep() {
            long now = System.nanoTime();
            for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
                if (it.next().full(now)) it.remove();
            }
        }
    }

    /** A token bucket: {@code capacity} tokens, refilled continuously at {@code capacity} per window. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long at;

        Bucket(int capacity, long windowNanos) {
            this.capacity = capacity;
            this.perNano = capacity / (double) windowNanos;
            this.tokens = capacity;
            this.at = System.nanoTime();
        }

        /** Takes a token; returns 0, or the nanoseconds until one is there. */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized void giveBack(long now) {
            refill(now);
            tokens = Math.min(capacity, tokens + 1);
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            if (now > at) {
                tokens = Math.min(capacity, tokens + (now - at) * perNano);
                at = now;
            }
        }
    }
}
