package io.reactorbpf.kafka;

import io.reactorbpf.core.testing.ApiBaselines;
import io.reactorbpf.core.testing.ModuleApi;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kafka module's API is its committed baseline (the check itself is specified in core's ApiBaselineTest). */
class ApiBaselineTest {

    @Test
    void theBuiltApiIsTheBaselineOfTheProjectVersion() {
        assertEquals(List.of(), ApiBaselines.check("reactor-bpf-kafka", ModuleApi.of(KafkaSink.class)));
    }
}
