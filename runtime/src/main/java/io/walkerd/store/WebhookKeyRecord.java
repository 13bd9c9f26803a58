package io.walkerd.store;

import io.walkerd.graph.Id;

import java.time.Instant;
import java.util.List;

/**
 * A webhook API key ({@code webhook} collection). The key itself is never stored: only its SHA-256, by which a
 * request's key is found.
 *
 * @param name       unique among the keys of one root
 * @param root       the root the key's calls run as (the user who made it)
 * @param walkers    the webhook walkers it may call; empty for all
 * @param nodes      the nodes (ref ids, or {@code root}) it may spawn on; empty for all
 * @param expiration when it stops working
 * @param keyHash    lower-case hex SHA-256 of the key
 */
public record WebhookKeyRecord(Id id, String name, Id root, List<String> walkers, List<String> nodes, Instant expiration,
                               String keyHash) {
    public WebhookKeyRecord {
        walkers = List.copyOf(walkers);
        nodes = List.copyOf(nodes);
    }
}
