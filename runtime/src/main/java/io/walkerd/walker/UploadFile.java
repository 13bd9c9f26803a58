package io.walkerd.walker;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A file sent with a walker call: the type of a walker input field ({@code UploadFile}, or {@code List<UploadFile>}
 * for several under one name) filled from a {@code multipart/form-data} body. In JSON (a report, a task's stored
 * input) it shows as {@code {"name", "content_type", "size"}}; its bytes are never written out.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"name", "content_type", "size"})
public final class UploadFile {
    private final String name;
    private final String contentType;
    private final byte[] bytes;

    public UploadFile(String name, String contentType, byte[] bytes) {
        this.name = name;
        this.contentType = contentType;
        this.bytes = Objects.requireNonNull(bytes).clone();
    }

    /** The file name the client gave. */
    @JsonProperty("name")
    public String name() { return name; }

    /** The content type the client gave (null when it gave none). */
    @JsonProperty("content_type")
    public String contentType() { return contentType; }

    /** Its size in bytes. */
    @JsonProperty("size")
    public long size() { return bytes.length; }

    /** A copy of its content. */
    public byte[] bytes() { return bytes.clone(); }

    public InputStream open() { return new ByteArrayInputStream(bytes); }

    /** Its content as UTF-8 text. */
    public String text() { return new String(bytes, StandardCharsets.UTF_8); }

    @Override
    public String toString() { return "UploadFile(" + name + ", " + contentType + ", " + bytes.length + " bytes)"; }
}
