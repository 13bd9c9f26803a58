package io.walkerd.websocket;

/** A place in a channel's history: the offset of its latest message (0 before the first) in one epoch. */
record Position(long offset, String epoch) {}
