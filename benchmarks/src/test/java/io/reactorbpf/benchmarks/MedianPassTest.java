package io.reactorbpf.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MedianPassTest {

    private static Result run(long cpuNanos, long delivered) {
        return new Result("c", delivered, delivered, 0, 1.0, cpuNanos, 0, 0, -1);
    }

    @Test
    void theMiddlePassByCpuPerEventIsReported() {
        Result fast = run(100, 10);
        Result middle = run(300, 10);
        Result disturbed = run(9_000, 10);
        assertEquals(middle, Bench.medianByCpu(List.of(disturbed, fast, middle)));
    }

    @Test
    void aPassThatDeliveredNothingRanksLast() {
        Result none = run(100, 0);
        Result one = run(100, 10);
        assertEquals(one, Bench.medianByCpu(List.of(none, one)));
    }

    @Test
    void theLadderReportsThePassWithTheMedianShareLost() {
        Result clean = new Result("c", 1000, 1000, 0, 1.0, 1, 0, 0, -1);
        Result some = new Result("c", 1000, 990, 10, 1.0, 1, 0, 0, -1);
        Result many = new Result("c", 1000, 500, 500, 1.0, 1, 0, 0, -1);
        assertEquals(some, Bench.medianByLost(List.of(many, clean, some)));
    }

    @Test
    void oneQuickPassIsItsOwnMedian() {
        Result only = run(5, 1);
        assertEquals(only, Bench.medianByCpu(List.of(only)));
    }
}
