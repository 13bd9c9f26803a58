package io.walkerd.conformance;

import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Optional;
import io.walkerd.walker.UploadFile;
import io.walkerd.walker.Walker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files from a multipart/form-data body. */
public final class Uploads {
    private Uploads() {}

    /** Reports the name, content type and size of each file it was sent. */
    public static class PostWithFile extends Walker {
        public UploadFile single;
        public List<UploadFile> multiple;
        @Optional public UploadFile singleOptional;

        @OnEntry
        void enter(Root here) {
            List<Map<String, Object>> files = new ArrayList<>();
            for (UploadFile f : multiple) files.add(describe(f));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("single", Map.of("single", describe(single)));
            report.put("multiple", files);
            report.put("singleOptional", singleOptional == null ? null : describe(singleOptional));
            report(report);
        }

        private static Map<String, Object> describe(UploadFile f) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("content_type", f.contentType());
            m.put("size", f.size());
            return m;
        }
    }
}
