package io.walkerd.bench.load;

/**
 * One table row: delivered messages (or HTTP responses) per second and their end-to-end latency in milliseconds,
 * from the send timestamp the message carries to its arrival at the generator.
 */
public record Result(String scenario, String variant, int n, String server, double msgsPerSec,
                     double p50Ms, double p99Ms, double p999Ms, long messages, long errors, String note) {

    public Result withNote(String more) {
        String joined = note == null || note.isEmpty() ? more : note + "; " + more;
        return new Result(scenario, variant, n, server, msgsPerSec, p50Ms, p99Ms, p999Ms, messages, errors, joined);
    }

    /** The scenario with its variant, as the table shows it. */
    public String label() { return variant == null || variant.isEmpty() ? scenario : scenario + " " + variant; }
}
