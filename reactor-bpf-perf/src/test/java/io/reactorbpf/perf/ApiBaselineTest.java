package io.reactorbpf.perf;

import io.reactorbpf.core.testing.ApiBaselines;
import io.reactorbpf.core.testing.ModuleApi;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The perf module's API is its committed baseline (the check itself is specified in core's ApiBaselineTest). */
class ApiBaselineTest {

    @Test
    void theBuiltApiIsTheBaselineOfTheProjectVersion() {
        assertEquals(List.of(), ApiBaselines.check("reactor-bpf-perf", ModuleApi.of(PerfBuffer.class)));
    }
}
