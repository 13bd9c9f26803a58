package io.walkerd.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON form of stored documents into BSON documents and back. The top-level id fields ({@code _id},
 * {@code root}, {@code root_id}) are ObjectIds in MongoDB, as jac-cloud keeps them; everything else maps one to one.
 */
final class BsonJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Set<String> ID_FIELDS = Set.of("_id", "root", "root_id");

    private BsonJson() {}

    static Document toDocument(ObjectNode json) {
        Document d = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            if (ID_FIELDS.contains(f.getKey()) && v.isTextual() && ObjectId.isValid(v.textValue())) {
                d.append(f.getKey(), new ObjectId(v.textValue()));
            } else {
                d.append(f.getKey(), value(v));
            }
        }
        return d;
    }

    static Object value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        if (v.isObject()) {
            Document d = new Document();
            v.fields().forEachRemaining(f -> d.append(f.getKey(), value(f.getValue())));
            return d;
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>(v.size());
            for (JsonNode item : v) out.add(value(item));
            return out;
        }
        if (v.isTextual()) return v.textValue();
        if (v.isBoolean()) return v.booleanValue();
        if (v.isInt() || v.isShort()) return v.intValue();
        if (v.isLong()) return v.longValue();
        if (v.isBigInteger()) return v.canConvertToLong() ? (Object) v.longValue() : v.asText();
        if (v.isBigDecimal()) return new Decimal128(v.decimalValue());
        if (v.isNumber()) return v.doubleValue();
        if (v.isBinary()) {
            try {
                return new Binary(v.binaryValue());
            } catch (java.io.IOException e) {
                return v.asText();
            }
        }
        return v.asText();
    }

    static ObjectNode toJson(Document d) {
        ObjectNode o = F.objectNode();
        d.forEach((k, v) -> o.set(k, json(v)));
        return o;
    }

    @SuppressWarnings("unchecked")
    static JsonNode json(Object v) {
        if (v == null) return F.nullNode();
        if (v instanceof Document d) return toJson(d);
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            ((Map<String, Object>) m).forEach((k, x) -> o.set(k, json(x)));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode(l.size());
            for (Object x : l) a.add(json(x));
            return a;
        }
        if (v instanceof ObjectId id) return F.textNode(id.toHexString());
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Integer i) return F.numberNode(i);
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Double x) return F.numberNode(x);
        if (v instanceof Decimal128 x) return F.numberNode(x.bigDecimalValue());
        if (v instanceof BigDecimal x) return F.numberNode(x);
        if (v instanceof Binary b) return F.binaryNode(b.getData());
        if (v instanceof Date date) return F.textNode(date.toInstant().toString());
        return F.textNode(String.valueOf(v));
    }
}
