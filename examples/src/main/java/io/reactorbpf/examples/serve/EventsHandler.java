package io.reactorbpf.examples.serve;

import io.reactorbpf.examples.exec.ExecEvent;
import io.reactorbpf.examples.exec.ExecJson;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.spring.boot.BpfEventStream;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET /events}: the shared exec stream for one client, as Server-Sent Events (event "exec" or "lost",
 * data the signal's JSON) or as NDJSON (one JSON object per line), whichever the Accept header prefers;
 * NDJSON for a wildcard or no Accept header, 406 when neither is acceptable. The signals are one stream of
 * buffers written on the connection's event loop and flushed after every write pass; a client that stops
 * reading stops the demand on its own buffer only, whose overflow it learns as {@code Lost(CLIENT, n)} (see
 * {@link BpfEventStream}).
 */
final class EventsHandler {

    private final BpfEventStream execs;

    EventsHandler(BpfEventStream execs) {
        this.execs = execs;
    }

    Mono<ServerResponse> events(ServerRequest request) {
        MediaType type = negotiate(request.headers().accept());
        if (type == null) {
            return ServerResponse.status(HttpStatus.NOT_ACCEPTABLE).build();
        }
        Function<ExecSignal, String> frame = MediaType.TEXT_EVENT_STREAM.equals(type)
                ? EventsHandler::event : EventsHandler::line;
        return ServerResponse.ok().contentType(type).build((exchange, context) -> {
            DataBufferFactory buffers = exchange.getResponse().bufferFactory();
            // one flat stream: Reactor Netty flushes after every write pass, and demand goes straight to the
            // client's buffer (writeAndFlushWith's per-signal groups, fed from the poller thread, lost demand
            // under a full socket and stalled the client for good)
            return exchange.getResponse().writeWith(execs.events()
                    .map(event -> buffers.wrap(frame.apply(signal(event)).getBytes(StandardCharsets.UTF_8))));
        });
    }

    /**
     * An event of the execsnoop object's stream as an exec signal: a sample is an {@code ExecEvent}, a ring loss a
     * {@code Lost(cpu, n)}, what this client's buffer dropped a {@code Lost(CLIENT, n)}.
     */
    static ExecSignal signal(PerfEvent event) {
        if (event instanceof PerfEvent.Sample s) {
            return ExecEvent.decode(s.cpu(), ByteBuffer.wrap(s.data()).order(ByteOrder.nativeOrder()), 0, s.size());
        }
        PerfEvent.Lost lost = (PerfEvent.Lost) event;
        return new Lost(lost.cpu() == BpfEventStream.SUBSCRIBER ? Lost.CLIENT : lost.cpu(), lost.count());
    }

    /**
     * The type for an Accept header: its ranges by quality (ties in the client's order), the first that includes
     * NDJSON (so also a wildcard) or SSE; NDJSON when there is no header; null when it accepts neither.
     */
    static MediaType negotiate(List<MediaType> accept) {
        if (accept.isEmpty()) {
            return MediaType.APPLICATION_NDJSON;
        }
        List<MediaType> ranges = accept.stream()
                .filter(range -> range.getQualityValue() > 0)
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed())
                .toList();
        for (MediaType range : ranges) {
            if (range.includes(MediaType.APPLICATION_NDJSON)) {
                return MediaType.APPLICATION_NDJSON;
            }
            if (range.includes(MediaType.TEXT_EVENT_STREAM)) {
                return MediaType.TEXT_EVENT_STREAM;
            }
        }
        return null;
    }

    /** One Server-Sent Event: its name, then the signal's JSON (one line, as JSON escapes line ends) as data. */
    static String event(ExecSignal signal) {
        return "event:" + (signal instanceof Lost ? "lost" : "exec") + "\ndata:" + ExecJson.toJson(signal) + "\n\n";
    }

    /** One NDJSON line. */
    static String line(ExecSignal signal) {
        return ExecJson.toJson(signal) + "\n";
    }
}
