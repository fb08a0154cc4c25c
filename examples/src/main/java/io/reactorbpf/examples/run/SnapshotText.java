package io.reactorbpf.examples.run;

import io.reactorbpf.perf.maps.Histogram;
import io.reactorbpf.perf.maps.HistogramField;
import io.reactorbpf.perf.maps.HistogramScale;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshot;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One map's snapshot as text, as the libbpf-tools print theirs. A line {@code HH:MM:SS MAP} heads it. A map whose
 * values hold histograms prints, for each entry with a count, a blank line, the key ({@code comm = bash}), the
 * value's other members if it has any, and each histogram as print_log2_hist (or print_linear_hist) does, headed by
 * the unit or else the member's name. Any other map is a table, a column per key and value member, ranked by the
 * value's first integer, largest first (as syscount's top N), at most a row limit. A blank line ends the
 * snapshot. Immutable; used on the printing thread.
 */
final class SnapshotText {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final EntryReading reading;
    private final Optional<Comparator<byte[]>> ranking;
    private final String unit;
    private final int limit;

    /** {@code unit} null: each histogram headed by its member's name. */
    SnapshotText(MapLayout layout, HistogramScale scale, String unit, int limit) {
        this.reading = new EntryReading(layout, scale);
        this.ranking = layout.largestFirst();
        this.unit = unit;
        this.limit = limit;
    }

    String render(MapSnapshot snapshot) {
        StringBuilder out = new StringBuilder();
        out.append(CLOCK.format(snapshot.time())).append(' ').append(snapshot.map());
        if (reading.histogramFields().isEmpty()) {
            table(out, snapshot.entries());
        } else {
            out.append('\n');
            snapshot.entries().forEach(e -> histograms(out, e));
        }
        return out.append('\n').toString();
    }

    private void histograms(StringBuilder out, MapSnapshot.Entry entry) {
        List<Histogram> histograms = reading.histograms(entry.value());
        if (histograms.stream().allMatch(Histogram::isEmpty)) {
            return;
        }
        out.append('\n').append(line(reading.keyLeaves(entry.key()))).append('\n');
        List<EntryReading.Leaf> others = reading.valueLeaves(entry.value());
        if (!others.isEmpty()) {
            out.append(line(others)).append('\n');
        }
        List<HistogramField> fields = reading.histogramFields();
        for (int i = 0; i < fields.size(); i++) {
            out.append(histograms.get(i).text(unit != null ? unit : label(fields.get(i))));
        }
    }

    private static String label(HistogramField field) {
        return field.path().isEmpty() ? "value" : field.path().get(field.path().size() - 1);
    }

    private static String line(List<EntryReading.Leaf> leaves) {
        return leaves.stream().map(l -> l.name() + " = " + l.text()).collect(Collectors.joining(", "));
    }

    private void table(StringBuilder out, List<MapSnapshot.Entry> entries) {
        List<MapSnapshot.Entry> rows = new ArrayList<>(entries);
        ranking.ifPresent(order -> rows.sort((a, b) -> order.compare(a.value(), b.value())));
        if (rows.size() > limit) {
            out.append(" (top ").append(limit).append(" of ").append(rows.size()).append(')');
        }
        out.append('\n');
        if (rows.isEmpty()) {
            return;
        }
        List<List<EntryReading.Leaf>> cells = new ArrayList<>();
        for (MapSnapshot.Entry e : rows.subList(0, Math.min(limit, rows.size()))) {
            List<EntryReading.Leaf> row = new ArrayList<>(reading.keyLeaves(e.key()));
            row.addAll(reading.valueLeaves(e.value()));
            cells.add(row);
        }
        List<EntryReading.Leaf> first = cells.get(0);
        int[] widths = new int[first.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = first.get(c).name().length();
            for (List<EntryReading.Leaf> row : cells) {
                widths[c] = Math.max(widths[c], row.get(c).text().length());
            }
        }
        List<String> header = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            header.add(pad(first.get(c).name().toUpperCase(Locale.ROOT), widths[c], first.get(c).node().isNumber()));
        }
        out.append(String.join("  ", header).stripTrailing()).append('\n');
        for (List<EntryReading.Leaf> row : cells) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < widths.length; c++) {
                line.add(pad(row.get(c).text(), widths[c], row.get(c).node().isNumber()));
            }
            out.append(String.join("  ", line).stripTrailing()).append('\n');
        }
    }

    /** Numbers right-aligned, anything else left-aligned. */
    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - text.length()));
        return right ? fill + text : text + fill;
    }
}
