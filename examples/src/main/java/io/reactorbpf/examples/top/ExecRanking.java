package io.reactorbpf.examples.top;

import io.reactorbpf.examples.exec.ExecEvent;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The top commands by exec count, interval by interval: the exec stream is cut into windows of one interval,
 * each window grouped by the program exec'd ({@link ExecEvent#command()}) and counted, and the counts ranked.
 * One {@link Ranking} per interval, in order, also for an interval without execs; a partial last window is ranked
 * when the stream completes. Timing runs on {@code Schedulers.parallel()} (virtual time in tests). Each window
 * holds one counter per distinct command, not the execs themselves.
 */
public final class ExecRanking {

    private ExecRanking() {
    }

    /** One command and how many times it was exec'd in the interval. */
    public record Row(String command, long execs) {
    }

    /** An interval's top rows (most execs first, ties by name), its total execs and its lost count. */
    public record Ranking(List<Row> top, long execs, long lost) {
    }

    /** Ranks {@code signals} every {@code interval}, keeping the {@code limit} commands with most execs. */
    public static Flux<Ranking> of(Flux<ExecSignal> signals, Duration interval, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return signals.window(interval)
                .concatMap(window -> window.publish(shared -> Mono.zip(
                        shared.ofType(ExecEvent.class)
                                .groupBy(ExecEvent::command)
                                // every group completes with its window, so all are counted at once
                                .flatMap(group -> group.count().map(n -> new Row(group.key(), n)), Integer.MAX_VALUE)
                                .collectList(),
                        shared.ofType(Lost.class).map(Lost::count).reduce(0L, Long::sum))))
                .map(counts -> rank(counts.getT1(), counts.getT2(), limit));
    }

    private static Ranking rank(List<Row> rows, long lost, int limit) {
        long execs = rows.stream().mapToLong(Row::execs).sum();
        List<Row> top = rows.stream()
                .sorted(Comparator.comparingLong(Row::execs).reversed().thenComparing(Row::command))
                .limit(limit)
                .toList();
        return new Ranking(top, execs, lost);
    }
}
