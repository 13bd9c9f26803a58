package io.walkerd.store;

/** The store cannot be read or written (its file or server is gone); the message says why in words. */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) { super(message, cause); }
}
