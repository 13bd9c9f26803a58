package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.Http.Part;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** UploadFile inputs from multipart/form-data bodies; the other fields of the form bind as usual. */
class UploadTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer(Map.of("UPLOAD_MAX_BYTES", "2048"));
    static final Http http = server.http();

    static final byte[] TEXT = "{\"hello\": \"uploads\"}\n".getBytes(StandardCharsets.UTF_8);

    private static Part file(String name, String fileName) { return Part.file(name, fileName, "application/json", TEXT); }

    @Test
    void filesBindToUploadFileAndListInputsAndFormFieldsToTheOthers() {
        Http.Response r = http.postMultipart("/walker/take_files", List.of(
                file("document", "doc.json"),
                file("attachments", "a.json"),
                Part.file("attachments", "b.txt", "text/plain", "bee".getBytes(StandardCharsets.UTF_8)),
                Part.field("copies", "3"),
                Part.field("note", "42")), http.newToken());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(0).asText()).isEqualTo(new String(TEXT, StandardCharsets.UTF_8));
        assertThat(r.reports().get(1)).isEqualTo(Http.JSON.valueToTree(Map.of("name", "doc.json", "content_type", "application/json",
                "size", TEXT.length)));
        assertThat(r.reports().get(2)).isEqualTo(Http.JSON.valueToTree(List.of("a.json application/json " + TEXT.length, "b.txt text/plain 3")));
        assertThat(r.reports().get(3).asText()).isEqualTo("no extra");
        assertThat(r.reports().get(4)).as("a form field for a string stays text").isEqualTo(Http.JSON.valueToTree(Map.of("copies", 3, "note", "42")));
    }

    @Test
    void aPartNamedBodyHoldingJsonIsTheJsonInput() {
        Http.Response r = http.postMultipart("/walker/take_files", List.of(
                file("document", "doc.json"), file("attachments", "a.json"), file("extra", "x.json"),
                Part.file("body", "body.json", "application/json", "{\"copies\": 2, \"note\": \"from json\"}".getBytes(StandardCharsets.UTF_8))),
                http.newToken());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(3).asText()).isEqualTo("x.json");
        assertThat(r.reports().get(4)).isEqualTo(Http.JSON.valueToTree(Map.of("copies", 2, "note", "from json")));
    }

    @Test
    void aMissingFileIs422NamingTheField() {
        Http.Response r = http.postMultipart("/walker/take_files", List.of(file("document", "doc.json")), http.newToken());
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("body", "attachments"));
    }

    @Test
    void aFileFieldGivenInJsonIs422SayingFilesAreMultipart() {
        Http.Response r = http.post("/walker/take_files", Map.of("document", "not a file", "attachments", List.of()), http.newToken());
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).contains(List.of("body", "document"));
        assertThat(r.raw()).contains("multipart/form-data");
    }

    @Test
    void aBadFormFieldIs422NamingIt() {
        Http.Response r = http.postMultipart("/walker/take_files", List.of(file("document", "d"), file("attachments", "a"),
                Part.field("copies", "many")), http.newToken());
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("body", "copies"));
    }

    @Test
    void anUploadLargerThanTheLimitIs413() {
        Http.Response r = http.postMultipart("/walker/public_upload", List.of(Part.file("file", "big.bin", "application/octet-stream",
                new byte[4096])), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.body().path("error").asText()).contains("UPLOAD_MAX_BYTES");

        Http.Response small = http.postMultipart("/walker/public_upload", List.of(Part.file("file", "s.bin", "application/octet-stream",
                new byte[100])), null);
        assertThat(small.status()).as(small.toString()).isEqualTo(200);
        assertThat(small.reports().get(0).asInt()).isEqualTo(100);
    }

    @Test
    void uploadsNeedATokenLikeAnyCall() {
        Http.Response r = http.postMultipart("/walker/take_files", List.of(file("document", "d"), file("attachments", "a")), null);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void theApiDocsDescribeFilesAsBinaryPartsOfAMultipartBody() {
        JsonNode doc = http.get("/openapi.json", null).body();
        JsonNode schema = doc.at("/paths/~1walker~1take_files/post/requestBody/content/multipart~1form-data/schema");
        assertThat(schema.at("/properties/document")).isEqualTo(Http.JSON.valueToTree(Map.of("type", "string", "format", "binary")));
        assertThat(schema.at("/properties/attachments/items/format").asText()).isEqualTo("binary");
        assertThat(schema.at("/properties/copies/type").asText()).isEqualTo("integer");
        assertThat(schema.path("required")).isEqualTo(Http.JSON.valueToTree(List.of("document", "attachments")));
        assertThat(doc.at("/paths/~1walker~1take_files/post/responses/413").isObject()).isTrue();
    }

    private static List<List<String>> locs(Http.Response r) {
        List<List<String>> out = new java.util.ArrayList<>();
        for (JsonNode d : r.body().path("detail")) {
            List<String> loc = new java.util.ArrayList<>();
            d.path("loc").forEach(l -> loc.add(l.asText()));
            out.add(loc);
        }
        return out;
    }
}
