package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.walkerd.walker.Multipart;
import io.walkerd.walker.UploadFile;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} walker call: its files (for {@code UploadFile} inputs), its other fields, and a
 * part named {@code body} holding a JSON object, which is read as the JSON body (how jac-cloud's clients send input
 * beside files). Bodies larger than {@code UPLOAD_MAX_BYTES} answer 413.
 */
final class UploadFiles {
    private static final String BODY_PART = "body";
    private static final String JSON_ATTRIBUTE = UploadFiles.class.getName() + ".body";

    private UploadFiles() {}

    /** The call's files and fields; null when the request was answered (413 too large, 422 unreadable). */
    static Multipart read(Context ctx, long maxBytes, ObjectMapper json) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes) {
            tooLarge(ctx, maxBytes);
            return null;
        }
        Map<String, List<UploadedFile>> parts;
        Map<String, List<String>> formFields;
        try {
            parts = ctx.uploadedFileMap();
            formFields = ctx.formParamMap();
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (why.contains("exceed") || why.contains("too large") || why.contains("max")) tooLarge(ctx, maxBytes);
            else invalid(ctx, "The multipart/form-data body could not be read");
            return null;
        }
        Map<String, List<UploadFile>> files = new LinkedHashMap<>();
        long total = 0;
        try {
            for (var e : parts.entrySet()) {
                List<UploadFile> list = new ArrayList<>();
                for (UploadedFile f : e.getValue()) {
                    byte[] bytes;
                    try (InputStream in = f.content()) {
                        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                    }
                    total += bytes.length;
                    if (total > maxBytes) {
                        tooLarge(ctx, maxBytes);
                        return null;
                    }
                    list.add(new UploadFile(f.filename(), f.contentType(), bytes));
                }
                files.put(e.getKey(), list);
            }
        } catch (IOException e) {
            invalid(ctx, "The multipart/form-data body could not be read");
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        formFields.forEach((k, v) -> { if (!v.isEmpty()) fields.put(k, v.get(0)); });
        // jac-cloud's clients send the JSON input as a part named body
        String jsonText = null;
        List<UploadFile> bodyFile = files.get(BODY_PART);
        if (bodyFile != null && bodyFile.size() == 1) {
            files.remove(BODY_PART);
            jsonText = bodyFile.get(0).text();
        } else if (fields.containsKey(BODY_PART) && fields.get(BODY_PART).trim().startsWith("{")) {
            jsonText = fields.remove(BODY_PART);
        }
        if (jsonText != null) {
            JsonNode parsed;
            try {
                parsed = json.readTree(jsonText);
            } catch (IOException e) {
                parsed = null;
            }
            if (parsed == null || !parsed.isObject()) {
                invalid(ctx, "The part named body must hold a JSON object");
                return null;
            }
            ctx.attribute(JSON_ATTRIBUTE, parsed);
        }
        return new Multipart(files, fields);
    }

    /** The JSON object a {@code body} part held, or null when there was none. */
    static JsonNode jsonPart(Context ctx) {
        return ctx.attribute(JSON_ATTRIBUTE);
    }

    private static void tooLarge(Context ctx, long maxBytes) {
        ctx.status(413).json(Map.of("error", "The upload is larger than " + maxBytes + " bytes (UPLOAD_MAX_BYTES)"));
    }

    private static void invalid(Context ctx, String why) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "multipart_invalid");
        p.put("loc", List.of("body"));
        p.put("msg", why);
        ctx.status(422).json(Map.of("detail", List.of(p)));
    }
}
