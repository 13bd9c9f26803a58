package io.walkerd.walker;

import java.util.List;
import java.util.Map;

/**
 * A {@code multipart/form-data} call's content, attached to its {@link WalkerCall} (under this class): the files by
 * field name, and the other fields of the form as text, which bind as query values do (numbers, booleans and JSON
 * read as such unless the input field is a string).
 */
public record Multipart(Map<String, List<UploadFile>> files, Map<String, String> fields) {
    public Multipart {
        files = Map.copyOf(files);
        fields = Map.copyOf(fields);
    }
}
