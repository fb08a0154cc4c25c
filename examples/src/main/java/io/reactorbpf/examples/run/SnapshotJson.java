package io.reactorbpf.examples.run;

import io.reactorbpf.perf.maps.HistogramScale;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshot;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One map's snapshot as one JSON object: {@code {"time":"<ISO-8601>","map":NAME,"entries":[{"key":K,"value":V},
 * ...]}}, keys and values decoded by the map's BTF, each histogram in a value given as its buckets
 * ({@code [{"low":0,"high":1,"count":3}, ...]}, slots as the text shows them). Every entry is there, in the
 * map's order. Immutable; used on the printing thread.
 */
final class SnapshotJson {

    private final EntryReading reading;

    SnapshotJson(MapLayout layout, HistogramScale scale) {
        this.reading = new EntryReading(layout, scale);
    }

    ObjectNode render(MapSnapshot snapshot) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("time", snapshot.time().toString());
        line.put("map", snapshot.map());
        ArrayNode entries = line.putArray("entries");
        for (MapSnapshot.Entry e : snapshot.entries()) {
            ObjectNode entry = entries.addObject();
            entry.set("key", reading.keyJson(e.key()));
            entry.set("value", reading.valueJson(e.value()));
        }
        return line;
    }
}
