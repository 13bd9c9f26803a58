package io.walkerd.walker;

/** Which REST routes a walker gets: spawned on the caller's root, on a given node, or both. */
public enum EntryType { ROOT, NODE, BOTH }
