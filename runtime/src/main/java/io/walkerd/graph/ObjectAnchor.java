package io.walkerd.graph;

/** A savable object's persistence metadata. */
public final class ObjectAnchor extends Anchor {
    private final Obj object;

    public ObjectAnchor(Graph graph, Id id, Id root, AccessPolicy access, Obj object, StoredFields loaded, long version) {
        super(graph, id, object.typeName(), root, access, loaded, version);
        this.object = object;
        object.attach(this);
    }

    @Override
    public String refId() { return RefId.object(name(), id()); }

    @Override
    public Obj archetype() { return object; }
}
