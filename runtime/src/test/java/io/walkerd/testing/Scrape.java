package io.walkerd.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of {@code /metrics} in the Prometheus text format, parsed into samples: {@code name{labels} value}
 * lines (comments skipped), so that a test can compare what a series says before and after some calls.
 */
public final class Scrape {
    /** One line of the scrape. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) { this.samples = List.copyOf(samples); }

    public static Scrape parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(sample(line));
        }
        return new Scrape(out);
    }

    public List<Sample> samples() { return samples; }

    /** The sum of every sample of {@code name} whose labels include all of {@code labels} ({@code k1, v1, k2, v2...}). */
    public double sum(String name, String... labels) {
        double total = 0;
        for (Sample s : samples) {
            if (!s.name().equals(name)) continue;
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) match &= labels[i + 1].equals(s.labels().get(labels[i]));
            if (match) total += s.value();
        }
        return total;
    }

    /** Whether any sample has this name. */
    public boolean has(String name) { return samples.stream().anyMatch(s -> s.name().equals(name)); }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), Map.of(), number(line.substring(space + 1)));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') i++;
        }
        return new Sample(name, labels, number(line.substring(i + 1)));
    }

    /** The value of a sample (a timestamp may follow it); {@code +Inf}, {@code -Inf} and {@code NaN} as Prometheus writes them. */
    private static double number(String rest) {
        String v = rest.trim().split(" ")[0];
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }
}
