package io.reactorbpf.examples.exec;

/** What an exec stream carries: an {@link ExecEvent}, or a count of execs that were {@link Lost}. */
public sealed interface ExecSignal permits ExecEvent, Lost {
}
