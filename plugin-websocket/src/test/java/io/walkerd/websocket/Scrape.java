package io.walkerd.websocket;

import java.util.HashMap;
import java.util.Map;

/**
 * One Prometheus scrape of a server's registry ({@code Metrics.scrape()}, what {@code /metrics} serves), read into
 * series: {@code walkerd_ws_disconnects_total{reason="slow_consumer"}} → its value.
 */
record Scrape(String text, Map<String, Double> series) {

    static Scrape of(String text) {
        Map<String, Double> series = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(text, series);
    }

    /** A series' value; 0 when the scrape does not have it. */
    double value(String series) { return series().getOrDefault(series, 0.0); }

    /** How far a series moved since {@code before}. */
    double since(Scrape before, String series) { return value(series) - before.value(series); }

    boolean has(String series) { return series().containsKey(series); }
}
