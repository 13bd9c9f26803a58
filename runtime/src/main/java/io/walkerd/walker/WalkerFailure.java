package io.walkerd.walker;

/** A walker ended with an error; the walk's graph changes are dropped. */
public class WalkerFailure extends RuntimeException {
    private final int status;

    public WalkerFailure(String message, Throwable cause) {
        super(message, cause);
        this.status = 500;
    }

    /** An error with its own response status (for example 400 for bad input found by walker code). */
    public WalkerFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }
}
