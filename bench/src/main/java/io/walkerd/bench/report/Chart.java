package io.walkerd.bench.report;

import io.walkerd.bench.load.Result;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** Draws throughput and p99 latency against N, one row of two log-log panels per scenario, with Java2D. */
public final class Chart {
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 260;
    private static final int MARGIN_L = 70;
    private static final int MARGIN_R = 150;
    private static final int MARGIN_T = 34;
    private static final int MARGIN_B = 36;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x7f7f7f), new Color(0x9467bd), new Color(0xd62728), new Color(0x8c564b)};

    private Chart() {}

    public static void write(List<Result> results, String title, Path png) throws IOException {
        Map<String, List<Result>> byScenario = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.variant().startsWith("@") || Double.isNaN(r.msgsPerSec()) || r.messages() == 0) continue; // fixed-rate rows: the table has them
            byScenario.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        }
        int rows = Math.max(1, byScenario.size());
        int width = 2 * (MARGIN_L + PANEL_W + MARGIN_R);
        int height = 40 + rows * (MARGIN_T + PANEL_H + MARGIN_B);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 12, 24);
        Map<String, Color> colors = new LinkedHashMap<>();
        int row = 0;
        for (var e : byScenario.entrySet()) {
            int top = 40 + row * (MARGIN_T + PANEL_H + MARGIN_B);
            String unit = e.getKey().startsWith("connect") ? "connections/s" : "delivered msgs/s";
            panel(g, e.getValue(), e.getKey() + ": " + unit, 0, top, Result::msgsPerSec, colors);
            panel(g, e.getValue(), e.getKey() + (e.getKey().startsWith("connect") ? ": p99 connect latency (ms)" : ": p99 latency (ms)"), MARGIN_L + PANEL_W + MARGIN_R, top, Result::p99Ms, colors);
            row++;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Result> rows, String title, int left, int top,
                              ToDoubleFunction<Result> metric, Map<String, Color> colors) {
        Map<String, TreeMap<Integer, Double>> series = new LinkedHashMap<>();
        double minY = Double.MAX_VALUE, maxY = 0;
        int minN = Integer.MAX_VALUE, maxN = 0;
        for (Result r : rows) {
            double v = metric.applyAsDouble(r);
            if (!(v > 0) || Double.isInfinite(v)) continue;
            series.computeIfAbsent(r.server(), k -> new TreeMap<>()).put(r.n(), v);
            minY = Math.min(minY, v);
            maxY = Math.max(maxY, v);
            minN = Math.min(minN, r.n());
            maxN = Math.max(maxN, r.n());
        }
        int x0 = left + MARGIN_L, y0 = top + MARGIN_T, w = PANEL_W, h = PANEL_H;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x0, top + 22);
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(x0, y0, w, h);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, w, h);
        if (series.isEmpty()) return;
        double lx0 = Math.log10(minN) - 0.15, lx1 = Math.log10(maxN) + 0.15;
        double ly0 = Math.floor(Math.log10(minY)), ly1 = Math.ceil(Math.log10(maxY));
        if (ly1 <= ly0) ly1 = ly0 + 1;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double d = ly0; d <= ly1 + 1e-9; d++) {
            int y = y0 + h - (int) Math.round((d - ly0) / (ly1 - ly0) * h);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0, y, x0 + w, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(axis(Math.pow(10, d)), left + 4, y + 4);
        }
        for (var n : series.values().stream().flatMap(s -> s.keySet().stream()).distinct().sorted().toList()) {
            int x = x0 + (int) Math.round((Math.log10(n) - lx0) / (lx1 - lx0) * w);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, y0, x, y0 + h);
            g.setColor(Color.DARK_GRAY);
            g.drawString("N=" + String.format(Locale.ROOT, "%,d", n), x - 22, y0 + h + 16);
        }
        int legend = 0;
        for (var s : series.entrySet()) {
            Color c = colors.computeIfAbsent(s.getKey(), k -> PALETTE[colors.size() % PALETTE.length]);
            g.setColor(c);
            g.setStroke(new BasicStroke(2.2f));
            int px = -1, py = -1;
            for (var p : s.getValue().entrySet()) {
                int x = x0 + (int) Math.round((Math.log10(p.getKey()) - lx0) / (lx1 - lx0) * w);
                int y = y0 + h - (int) Math.round((Math.log10(p.getValue()) - ly0) / (ly1 - ly0) * h);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
            }
            g.setStroke(new BasicStroke(1f));
            g.fillRect(x0 + w + 10, y0 + 8 + legend * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), x0 + w + 26, y0 + 18 + legend * 18);
            legend++;
        }
    }

    private static String axis(double v) {
        if (v >= 1_000_000) return String.format(Locale.ROOT, "%.0fM", v / 1_000_000);
        if (v >= 1000) return String.format(Locale.ROOT, "%.0fk", v / 1000);
        if (v >= 1) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
