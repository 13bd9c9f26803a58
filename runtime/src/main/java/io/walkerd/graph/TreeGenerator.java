package io.walkerd.graph;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A generator that builds the tree of what is written to it, node by node: what {@code valueToTree} makes of a value,
 * without first writing every token into a buffer and then reading them back (Jackson 2's way). Each value becomes
 * the node that reading the buffer would have made (same node factory, same number types; trailing zeros of a
 * BigDecimal stripped where the factory strips them).
 *
 * <p>Whatever it does not build the same way for sure (raw values, binary data, embedded objects, numbers given as
 * text, readers) marks the result {@link #unsupported()}: the caller then converts the value the usual way. It
 * builds with the mapper's defaults for trees only; {@link ArchetypeJson} does not use it otherwise.
 */
final class TreeGenerator extends GeneratorBase {
    private final JsonNodeFactory nodes;
    private final StreamWriteConstraints constraints;
    private final Deque<ContainerNode<?>> open = new ArrayDeque<>();
    private JsonNode root;
    private boolean unsupported;

    TreeGenerator(ObjectCodec codec, JsonNodeFactory nodes, StreamWriteConstraints constraints) {
        super(JsonGenerator.Feature.collectDefaults(), codec);
        this.nodes = nodes;
        this.constraints = constraints;
    }

    /** The tree of the one value written; meaningful only when not {@link #unsupported()}. */
    JsonNode root() { return root; }

    /** True when something was written that this generator does not build exactly as a token buffer would. */
    boolean unsupported() { return unsupported; }

    @Override
    public StreamWriteConstraints streamWriteConstraints() { return constraints; }

    private void add(JsonNode value) {
        ContainerNode<?> into = open.peek();
        if (into == null) root = value;
        else if (into instanceof ObjectNode o) o.set(_writeContext.getCurrentName(), value);
        else ((ArrayNode) into).add(value);
    }

    private void value(String what, JsonNode value) throws java.io.IOException {
        _verifyValueWrite(what);
        add(value);
    }

    /** Puts an existing (read-only) tree in as the next value, as it is: no copy. */
    void insert(JsonNode tree) throws java.io.IOException { value("write a tree", tree); }

    /** Keeps the structure going (a placeholder), and has the caller convert the usual way. */
    private void notBuilt(String what) throws java.io.IOException {
        unsupported = true;
        value(what, nodes.nullNode());
    }

    // ---- structure ---------------------------------------------------------------------------------------------

    @Override
    public void writeStartArray() throws java.io.IOException {
        _verifyValueWrite("start an array");
        ArrayNode a = nodes.arrayNode();
        add(a); // under the field name of the enclosing context, so before entering its own
        _writeContext = _writeContext.createChildArrayContext();
        constraints.validateNestingDepth(_writeContext.getNestingDepth());
        open.push(a);
    }

    @Override
    public void writeEndArray() throws java.io.IOException {
        if (!_writeContext.inArray()) _reportError("Current context not Array but " + _writeContext.typeDesc());
        _writeContext = _writeContext.clearAndGetParent();
        open.pop();
    }

    @Override
    public void writeStartObject() throws java.io.IOException {
        _verifyValueWrite("start an object");
        ObjectNode o = nodes.objectNode();
        add(o);
        _writeContext = _writeContext.createChildObjectContext();
        constraints.validateNestingDepth(_writeContext.getNestingDepth());
        open.push(o);
    }

    @Override
    public void writeEndObject() throws java.io.IOException {
        if (!_writeContext.inObject()) _reportError("Current context not Object but " + _writeContext.typeDesc());
        _writeContext = _writeContext.clearAndGetParent();
        open.pop();
    }

    @Override
    public void writeFieldName(String name) throws java.io.IOException {
        if (_writeContext.writeFieldName(name) == JsonWriteContext.STATUS_EXPECT_VALUE) _reportError("Can not write a field name, expecting a value");
    }

    @Override
    public void writeFieldName(SerializableString name) throws java.io.IOException { writeFieldName(name.getValue()); }

    // ---- values ------------------------------------------------------------------------------------------------

    @Override
    public void writeString(String text) throws java.io.IOException {
        if (text == null) writeNull();
        else value("write a string", nodes.textNode(text));
    }

    @Override
    public void writeString(char[] text, int offset, int len) throws java.io.IOException { writeString(new String(text, offset, len)); }

    @Override
    public void writeString(SerializableString text) throws java.io.IOException { writeString(text.getValue()); }

    @Override
    public void writeString(Reader reader, int len) throws java.io.IOException { notBuilt("write a string"); }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws java.io.IOException { notBuilt("write a string"); }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws java.io.IOException { notBuilt("write a string"); }

    @Override
    public void writeNumber(int v) throws java.io.IOException { value("write a number", nodes.numberNode(v)); }

    @Override
    public void writeNumber(long v) throws java.io.IOException { value("write a number", nodes.numberNode(v)); }

    @Override
    public void writeNumber(BigInteger v) throws java.io.IOException {
        if (v == null) writeNull();
        else value("write a number", nodes.numberNode(v));
    }

    @Override
    public void writeNumber(double v) throws java.io.IOException { value("write a number", nodes.numberNode(v)); }

    @Override
    public void writeNumber(float v) throws java.io.IOException { value("write a number", nodes.numberNode(v)); }

    @Override
    public void writeNumber(BigDecimal v) throws java.io.IOException {
        if (v == null) {
            writeNull();
            return;
        }
        BigDecimal d = v;
        if (nodes.willStripTrailingBigDecimalZeroes()) {
            try {
                d = d.stripTrailingZeros();
            } catch (ArithmeticException keptAsItIs) {
                // as the tree reader: an exponent out of range keeps the value as it was
            }
        }
        value("write a number", nodes.numberNode(d));
    }

    @Override
    public void writeNumber(String encoded) throws java.io.IOException { notBuilt("write a number"); }

    @Override
    public void writeBoolean(boolean state) throws java.io.IOException { value("write a boolean", nodes.booleanNode(state)); }

    @Override
    public void writeNull() throws java.io.IOException { value("write a null", nodes.nullNode()); }

    @Override
    public void writeObject(Object value) throws java.io.IOException {
        // a token buffer keeps these as they are, embedded; anything else is serialized like any value
        if (value instanceof byte[] || value instanceof RawValue) notBuilt("write an embedded value");
        else super.writeObject(value);
    }

    @Override
    public void writeEmbeddedObject(Object object) throws java.io.IOException { notBuilt("write an embedded value"); }

    @Override
    public boolean canWriteBinaryNatively() { return true; }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws java.io.IOException { notBuilt("write binary data"); }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws java.io.IOException {
        notBuilt("write binary data");
        return dataLength;
    }

    @Override
    public void writeRaw(String text) throws java.io.IOException { unsupported = true; }

    @Override
    public void writeRaw(String text, int offset, int len) throws java.io.IOException { unsupported = true; }

    @Override
    public void writeRaw(char[] text, int offset, int len) throws java.io.IOException { unsupported = true; }

    @Override
    public void writeRaw(char c) throws java.io.IOException { unsupported = true; }

    @Override
    public void writeRawValue(String text) throws java.io.IOException { notBuilt("write a raw value"); }

    @Override
    public void writeRawValue(String text, int offset, int len) throws java.io.IOException { notBuilt("write a raw value"); }

    @Override
    public void writeRawValue(char[] text, int offset, int len) throws java.io.IOException { notBuilt("write a raw value"); }

    @Override
    public void writeRawValue(SerializableString raw) throws java.io.IOException { notBuilt("write a raw value"); }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    @Override
    protected void _verifyValueWrite(String typeMsg) throws java.io.IOException {
        if (_writeContext.writeValue() == JsonWriteContext.STATUS_EXPECT_NAME) _reportError("Can not " + typeMsg + ", expecting field name");
    }

    @Override
    public void flush() {}

    @Override
    protected void _releaseBuffers() {}
}
