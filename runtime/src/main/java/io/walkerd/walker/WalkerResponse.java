package io.walkerd.walker;

/**
 * The outcome of a walker call: an HTTP status and a JSON-ready body. For failures, {@code error} holds the
 * message (the body then is {@code {"error": message}}, or the 422 detail list).
 */
public record WalkerResponse(int status, Object body, String error) {
    public boolean ok() { return error == null; }
}
