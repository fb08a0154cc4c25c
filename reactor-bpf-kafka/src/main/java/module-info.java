/**
 * The Kafka sink: perf and BPF ring buffer streams shipped to Apache Kafka, one record per sample or loss,
 * keyed by host and CPU, with the producer's acknowledgements as the stream's demand.
 */
module io.reactorbpf.kafka {
    requires transitive io.reactorbpf.perf;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires transitive kafka.clients;
    requires tools.jackson.core;
    requires tools.jackson.databind;
    // the meters (KafkaSinkMeters) only; the sink works without Micrometer
    requires static micrometer.core;

    exports io.reactorbpf.kafka;
}
