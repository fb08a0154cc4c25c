package io.reactorbpf.examples.top;

import io.reactorbpf.examples.exec.ExecEvent;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import io.reactorbpf.examples.top.ExecRanking.Ranking;
import io.reactorbpf.examples.top.ExecRanking.Row;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The top pipeline on synthetic exec streams, in virtual time. */
class ExecRankingTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** An exec of /bin/COMMAND by a shell. */
    private static ExecSignal exec(String command) {
        return new ExecEvent(0, 1, 1, 0, "bash", List.of("/bin/" + command));
    }

    /** {@code signals} at virtual time {@code at}. */
    private static Flux<ExecSignal> at(Duration at, ExecSignal... signals) {
        return Mono.delay(at).thenMany(Flux.just(signals));
    }

    @Test
    void eachIntervalRanksItsOwnExecsMostFirstTiesByName() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(Flux.merge(
                        at(Duration.ofMillis(100), exec("sh"), exec("ls"), exec("sh"), exec("cat"), exec("sh"), exec("ls")),
                        at(Duration.ofMillis(1500), exec("make"), exec("cc"))
                ).concatWith(Flux.never()), SECOND, 10))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(new Row("sh", 3), new Row("ls", 2), new Row("cat", 1)), 6, 0))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(new Row("cc", 1), new Row("make", 1)), 2, 0))
                .thenCancel()
                .verify();
    }

    @Test
    void theLimitKeepsOnlyTheTopRowsButTheTotalCountsAll() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(
                        at(Duration.ofMillis(10), exec("a"), exec("b"), exec("b"), exec("c"), exec("c"), exec("c"))
                                .concatWith(Flux.never()), SECOND, 2))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(new Row("c", 3), new Row("b", 2)), 6, 0))
                .thenCancel()
                .verify();
    }

    @Test
    void anIntervalWithoutExecsIsAnEmptyRanking() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(Flux.<ExecSignal>never(), SECOND, 5))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(), 0, 0))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(), 0, 0))
                .thenCancel()
                .verify();
    }

    @Test
    void lostCountsAddUpPerIntervalBesideTheRanking() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(
                        at(Duration.ofMillis(10), new Lost(0, 4), exec("sh"), new Lost(1, 3))
                                .concatWith(Flux.never()), SECOND, 5))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(new Row("sh", 1)), 1, 7))
                .thenCancel()
                .verify();
    }

    @Test
    void completingTheStreamRanksThePartialLastInterval() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(at(Duration.ofMillis(300), exec("sh")), SECOND, 5))
                .thenAwait(Duration.ofMillis(300))
                .expectNext(new Ranking(List.of(new Row("sh", 1)), 1, 0))
                .verifyComplete();
    }

    @Test
    void anExecWhoseFileNameWasNotReadCountsUnderTheCallersComm() {
        StepVerifier.withVirtualTime(() -> ExecRanking.of(
                        at(Duration.ofMillis(10), new ExecEvent(0, 1, 1, 0, "cron", List.of()))
                                .concatWith(Flux.never()), SECOND, 5))
                .thenAwait(SECOND)
                .expectNext(new Ranking(List.of(new Row("cron", 1)), 1, 0))
                .thenCancel()
                .verify();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExecRanking.of(Flux.empty(), SECOND, 0));
    }
}
