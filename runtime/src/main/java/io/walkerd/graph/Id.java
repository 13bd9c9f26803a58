package io.walkerd.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identity of a stored document: 12 bytes written as 24 lower-case hex digits, the form of jac-cloud's ids
 * (MongoDB ObjectIds) and of the hex part of every ref id. A node's, an edge's or an object's id ({@link #fresh})
 * starts with its creation time, as an ObjectId does, and ends with six random bytes, so that no id can be guessed
 * from another (an ObjectId's machine and counter parts can); users' and roots' ids are twelve random bytes.
 */
public record Id(String hex) implements Comparable<Id> {
    /**
     * One generator per thread, each a SHA1PRNG of its own seeded from the system's: {@code new SecureRandom()} is
     * NativePRNG on Linux, whose instances all share one reader of {@code /dev/urandom} and one mixing generator
     * behind a lock, so that per-thread instances of it still made every new id (each walker's, each node's) wait
     * for that lock (77 s of 100 threads' time blocked there in a 6-second profile of bench_read_node at N = 100).
     */
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Id::ownGenerator);
    private static final HexFormat HEX = HexFormat.of();

    public Id {
        if (!isValid(hex)) throw new IllegalArgumentException("an id is 24 hex digits");
        if (!isLowerCase(hex)) hex = hex.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A new node's, edge's or object's id: four bytes of the time in seconds
     * (an ObjectId's timestamp), two of the millisecond within that second (scaled to 0..65535), then six random
     * bytes. Ids made later sort later, so that a new document's entries go to the end of the indexes by id rather
     * than to a random page of them: on a store of a hundred thousand documents, each write touched a page of its
     * own in every id index (a page written to the journal per write); now new documents share the last pages. The
     * random part keeps an id from being guessed from another made in the same millisecond (2^48 to try).
     */
    public static Id fresh() {
        byte[] b = new byte[12];
        RANDOM.get().nextBytes(b);
        long now = System.currentTimeMillis();
        long seconds = now / 1000;
        int fraction = (int) ((now % 1000) * 65536 / 1000);
        b[0] = (byte) (seconds >>> 24);
        b[1] = (byte) (seconds >>> 16);
        b[2] = (byte) (seconds >>> 8);
        b[3] = (byte) seconds;
        b[4] = (byte) (fraction >>> 8);
        b[5] = (byte) fraction;
        return new Id(HEX.formatHex(b));
    }

    /**
     * A new id of twelve random bytes: users and their roots (an id that tells nothing of when its user registered),
     * webhook keys, instances.
     */
    public static Id random() {
        byte[] b = new byte[12];
        RANDOM.get().nextBytes(b);
        return new Id(HEX.formatHex(b));
    }

    /**
     * A new id that sorts after every id made earlier (to the millisecond): six bytes of the time, then six random
     * bytes. Walker documents get these, so that "the latest result of a walker" is the greatest id, as it is with
     * jac-cloud's ObjectIds.
     */
    public static Id timeOrdered() {
        byte[] b = new byte[12];
        RANDOM.get().nextBytes(b);
        long now = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) now;
            now >>>= 8;
        }
        return new Id(HEX.formatHex(b));
    }

    private static SecureRandom ownGenerator() {
        byte[] seed = new byte[32];
        SEEDS.nextBytes(seed);
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed); // before any output: the generator's whole state comes from this seed
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom(seed); // every JDK has SHA1PRNG; this is never reached
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Id of(String hex) { return new Id(hex); }

    @JsonValue
    @Override
    public String hex() { return hex; }

    public static boolean isValid(String text) {
        if (text == null || text.length() != 24) return false;
        for (int i = 0; i < 24; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
        }
        return true;
    }

    private static boolean isLowerCase(String hex) {
        for (int i = 0; i < hex.length(); i++) if (hex.charAt(i) >= 'A' && hex.charAt(i) <= 'F') return false;
        return true;
    }

    public String toHexString() { return hex; }

    @Override
    public int compareTo(Id o) { return hex.compareTo(o.hex); }

    // written out: a record's generated equals and hashCode go through method handles, and ids are the keys of
    // every map a walk keeps (a walk over 2,000 nodes looks ids up tens of thousands of times)
    @Override
    public boolean equals(Object o) { return o == this || (o instanceof Id other && hex.equals(other.hex)); }

    @Override
    public int hashCode() { return hex.hashCode(); }

    @Override
    public String toString() { return hex; }
}
