package io.walkerd.spi;

import java.util.List;

/**
 * Told of every walker commit that changed nodes, after the commit succeeded (never for a walk that failed or
 * wrote nothing). Called on the thread that ran the walker, before its response is sent: keep it short.
 */
@FunctionalInterface
public interface CommitListener {
    void committed(List<NodeChange> changes);
}
