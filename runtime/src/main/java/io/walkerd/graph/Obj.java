package io.walkerd.graph;

/**
 * A savable object: an archetype stored by id in the {@code object} collection that is neither a node nor an edge
 * (jac-cloud's {@code obj} saved with {@code save}). Subclasses add public fields, which are what is stored. A walker
 * saves one with {@code save(obj)}, loads one by its ref id ({@code o:<Type>:<hex>}) with {@code load(...)}, changes
 * its fields (saved at the end of the walk if the caller may write it) and deletes it with {@link #destroy()}; the
 * same access rules as nodes apply.
 */
public abstract class Obj extends Archetype {
    private transient ObjectAnchor anchor;
    /** The id this object will be stored under, given before it is saved (when a response shows it first). */
    private transient Id pendingId;

    void attach(ObjectAnchor anchor) {
        if (this.anchor != null && this.anchor != anchor) throw new IllegalStateException("object already attached");
        this.anchor = anchor;
    }

    /** The anchor when saved or loaded, else null. */
    ObjectAnchor anchorIfAttached() { return anchor; }

    /** True once the object was saved or loaded in this walk. */
    public boolean isSaved() { return anchor != null; }

    /** This object's anchor; the object must have been saved or loaded. */
    public ObjectAnchor anchor() {
        if (anchor == null) throw new IllegalStateException("the object is not saved: save(obj) first");
        return anchor;
    }

    /** The id a not yet saved object will have if it is saved. */
    public Id pendingId() {
        if (pendingId == null) pendingId = Id.fresh();
        return pendingId;
    }

    /** The ref id, without saving an object that was not saved (showing it changes nothing stored). */
    public String refIdWithoutSaving() {
        return anchor != null ? anchor.refId() : RefId.object(typeName(), pendingId());
    }

    /** The ref id, e.g. {@code o:SavableObject:6721...}. */
    public String id() { return anchor().refId(); }

    /** The caller's access level on this object, decided from the access as loaded. */
    public Access access() {
        ObjectAnchor a = anchor();
        return a.graph().accessTo(a);
    }

    /** Deletes this object when the walk commits (needs WRITE). */
    public void destroy() {
        ObjectAnchor a = anchor();
        a.graph().destroy(a);
    }

    /** Grants {@code level} on this object to the root {@code rootRefId}. */
    public void allowRoot(String rootRefId, Access level) { anchor().allowRoot(rootRefId, level); }

    /** Removes the grant of {@code rootRefId} on this object. */
    public void disallowRoot(String rootRefId) { anchor().disallowRoot(rootRefId); }

    /** Sets the level every other root has on this object. */
    public void allowAll(Access level) { anchor().allowAll(level); }

    public void disallowAll() { allowAll(Access.NO_ACCESS); }
}
