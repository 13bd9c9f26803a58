package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one interface between walkerd and a database. Two implementations: SQLite (embedded, the default) and
 * MongoDB. Both keep jac-cloud's document layout (see {@link StoredJson}) in the collections {@code node},
 * {@code edge}, {@code object}, {@code walker}, {@code webhook} and {@code user}, and both pass the same behaviour
 * suite.
 *
 * <p>Every method is safe to call from many threads. A method returns only once what it wrote is durable (as far
 * as the backend's durability setting goes).
 */
public interface Store extends AutoCloseable {

    /** The collections, in the order an export writes them and an import reads them. */
    List<String> COLLECTIONS = List.of("user", "node", "edge", "object", "walker", "webhook");

    /** {@code "sqlite"} or {@code "mongodb"}: for logs and metrics. */
    String backend();

    // ---- graph -------------------------------------------------------------------------------------------------

    /** The nodes with these ids that exist, in no particular order; one round trip. */
    List<NodeRecord> nodes(Collection<Id> ids);

    /** The edges with these ids that exist, in no particular order; one round trip. */
    List<EdgeRecord> edges(Collection<Id> ids);

    /** Inserts a root node (a user's, or a system root) unless a node with its id exists. */
    void ensureRoot(NodeRecord root);

    /**
     * Applies a change set atomically: all of it or none of it, even if the process dies half-way.
     *
     * @throws CommitConflict when a document it updates or deletes changed or vanished since it was read; then
     *                        nothing was written
     */
    void commit(ChangeSet changes);

    /** How many node, edge, object and walker documents {@code root} owns, the root itself included. */
    long countOwned(Id root);

    /**
     * Up to {@code limit} nodes of the type {@code name} owned by {@code root} (any owner when null), oldest first
     * where the backend keeps insertion order: for work that looks nodes up by type rather than walking to them.
     */
    List<NodeRecord> nodesNamed(String name, Id root, int limit);

    // ---- savable objects ---------------------------------------------------------------------------------------

    /** The objects with these ids that exist, in no particular order; one round trip. Written by {@link #commit}. */
    List<ObjectRecord> objects(Collection<Id> ids);

    // ---- walker documents ---------------------------------------------------------------------------------------

    /** A walker document by id. Walker documents are written by {@link #commit} ({@link ChangeSet#walkers()}). */
    Optional<WalkerRecord> walker(Id id);

    /** The newest document of the walker {@code name} (the greatest id). */
    Optional<WalkerRecord> latestWalker(String name);

    /** Up to {@code limit} walker documents whose schedule is PENDING and due at {@code now}, oldest first. */
    List<WalkerRecord> dueTasks(Instant now, int limit);

    /**
     * Marks a PENDING walker document STARTED at {@code at}; true for exactly one caller across every instance
     * sharing the store, false when it was not PENDING (already taken, or gone).
     */
    boolean startTask(Id id, Instant at);

    // ---- webhook keys -------------------------------------------------------------------------------------------

    /** Stores a new key; false (nothing written) when its root has a key with that name already. */
    boolean createWebhookKey(WebhookKeyRecord key);

    Optional<WebhookKeyRecord> webhookKeyByHash(String keyHash);

    /** The keys of one root, oldest first. */
    List<WebhookKeyRecord> webhookKeys(Id root);

    /** Sets the expiration of the root's key {@code id}; false when the root has no such key. */
    boolean extendWebhookKey(Id root, Id id, Instant expiration);

    /** Deletes those of {@code ids} that are the root's keys; returns how many. */
    int deleteWebhookKeys(Id root, Collection<Id> ids);

    // ---- leases -------------------------------------------------------------------------------------------------

    /**
     * Takes the lease {@code name} for {@code holder} until {@code until}: true when it was free, expired or already
     * the holder's (then renewed); false while another holder has it. Atomic across every instance sharing the
     * store: what scheduled walkers use to run once per trigger. Expired leases are forgotten.
     */
    boolean claimLease(String name, String holder, Instant until);

    // ---- users -------------------------------------------------------------------------------------------------

    Optional<UserRecord> userById(Id id);

    /** By email, which is stored lower-cased: pass it lower-cased. */
    Optional<UserRecord> userByEmail(String email);

    /** Inserts the user and its root together; false (and nothing written) when the email is taken. */
    boolean createUser(UserRecord user, NodeRecord root);

    /**
     * Replaces the password hash and increments the token version, only if the token version is still
     * {@code expectedTokenVersion}; false otherwise (nothing written).
     */
    boolean changePassword(Id userId, String passwordHash, int expectedTokenVersion);

    /** Sets the user's {@code is_admin} flag and nothing else; false when no user has that (lower-cased) email. */
    boolean markAdmin(String email, boolean admin);

    // ---- operations ---------------------------------------------------------------------------------------------

    /** Reads something from the store; throws {@link StoreUnavailable} saying why when it cannot. */
    void check();

    /** Every document of every collection ({@link #COLLECTIONS} order), in {@link StoredJson}'s form. */
    void exportAll(Consumer<Exported> out);

    /** Writes documents read from an export (replacing any with the same id). */
    void importAll(Iterable<Exported> documents);

    /** One document of an export: its collection and its JSON form. */
    record Exported(String collection, ObjectNode document) {}

    @Override
    void close();
}
