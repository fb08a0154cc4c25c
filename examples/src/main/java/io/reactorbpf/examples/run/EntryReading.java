package io.reactorbpf.examples.run;

import io.reactorbpf.perf.maps.Histogram;
import io.reactorbpf.perf.maps.HistogramField;
import io.reactorbpf.perf.maps.HistogramScale;
import io.reactorbpf.perf.maps.MapLayout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One map's entries as run shows them: keys and values decoded by the map's {@link MapLayout}, the histograms in
 * a value read on one {@link HistogramScale} (those with more slots than the scale names stay plain arrays), and
 * a value's other members as named leaves. Immutable; used on the printing thread.
 */
final class EntryReading {

    /** One scalar (or array that is no histogram) of a key or value: its dotted member path and its JSON. */
    record Leaf(String name, JsonNode node) {

        /** The value as text: a string without quotes, anything else as JSON. */
        String text() {
            return node.isString() ? node.asString() : node.toString();
        }
    }

    private final MapLayout layout;
    private final HistogramScale scale;
    private final List<HistogramField> histograms;

    EntryReading(MapLayout layout, HistogramScale scale) {
        this.layout = layout;
        this.scale = scale;
        this.histograms = layout.histograms().stream().filter(h -> h.slots() <= scale.maxSlots()).toList();
    }

    /** The value's members that are histograms on this scale. */
    List<HistogramField> histogramFields() {
        return histograms;
    }

    List<Histogram> histograms(byte[] value) {
        return histograms.stream().map(h -> h.histogram(value, scale)).toList();
    }

    /** The key's leaves; a key that is no struct is the one leaf {@code key}. */
    List<Leaf> keyLeaves(byte[] key) {
        return leaves(layout.key(key), "key");
    }

    /** The value's leaves but its histograms; a value that is no struct (or data section) is the one leaf {@code value}. */
    List<Leaf> valueLeaves(byte[] value) {
        JsonNode tree = layout.value(value);
        for (HistogramField h : histograms) {
            if (h.path().isEmpty()) {
                return List.of();
            }
            parent(tree, h.path()).remove(last(h.path()));
        }
        return leaves(tree, "value");
    }

    /** The key as JSON. */
    JsonNode keyJson(byte[] key) {
        return layout.key(key);
    }

    /** The value as JSON with each histogram as its buckets: {@code [{"low":L,"high":H,"count":N}, ...]}. */
    JsonNode valueJson(byte[] value) {
        JsonNode tree = layout.value(value);
        for (HistogramField h : histograms) {
            ArrayNode buckets = buckets(h.histogram(value, scale));
            if (h.path().isEmpty()) {
                return buckets;
            }
            parent(tree, h.path()).set(last(h.path()), buckets);
        }
        return tree;
    }

    private static ArrayNode buckets(Histogram histogram) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ArrayNode buckets = json.arrayNode();
        boolean log2 = histogram.scale() instanceof HistogramScale.Log2;
        for (Histogram.Bucket b : histogram.buckets()) {
            ObjectNode bucket = buckets.addObject();
            bucket.set("low", log2 ? unsigned(b.low()) : json.numberNode(b.low()));
            bucket.set("high", log2 ? unsigned(b.high()) : json.numberNode(b.high()));
            bucket.set("count", unsigned(b.count()));
        }
        return buckets;
    }

    private static JsonNode unsigned(long v) {
        return v >= 0 ? JsonNodeFactory.instance.numberNode(v)
                : JsonNodeFactory.instance.numberNode(new BigInteger(Long.toUnsignedString(v)));
    }

    private static ObjectNode parent(JsonNode tree, List<String> path) {
        JsonNode node = tree;
        for (String name : path.subList(0, path.size() - 1)) {
            node = node.get(name);
        }
        return (ObjectNode) node;
    }

    private static String last(List<String> path) {
        return path.get(path.size() - 1);
    }

    private static List<Leaf> leaves(JsonNode tree, String whole) {
        List<Leaf> leaves = new ArrayList<>();
        if (tree.isObject()) {
            collect(tree, "", leaves);
        } else {
            leaves.add(new Leaf(whole, tree));
        }
        return leaves;
    }

    private static void collect(JsonNode object, String prefix, List<Leaf> leaves) {
        for (var field : object.properties()) {
            String name = prefix + field.getKey();
            if (field.getValue().isObject()) {
                collect(field.getValue(), name + ".", leaves);
            } else {
                leaves.add(new Leaf(name, field.getValue()));
            }
        }
    }
}
