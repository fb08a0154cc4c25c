package io.reactorbpf.examples.serve;

import io.reactorbpf.examples.exec.ExecJson;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /events}: the shared exec stream for one client, as Server-Sent Events (event "exec" or "lost",
 * data the signal's JSON) or as NDJSON (one JSON object per line), whichever the Accept header prefers;
 * NDJSON for a wildcard or no Accept header, 406 when neither is acceptable. Each signal is flushed as it
 * is written; a client that stops reading stops the demand on its own buffer only (see {@link ExecBroadcast}).
 */
final class EventsHandler {

    private final ExecBroadcast broadcast;

    EventsHandler(ExecBroadcast broadcast) {
        this.broadcast = broadcast;
    }

    Mono<ServerResponse> events(ServerRequest request) {
        MediaType type = negotiate(request.headers().accept());
        if (type == null) {
            return ServerResponse.status(HttpStatus.NOT_ACCEPTABLE).build();
        }
        if (MediaType.TEXT_EVENT_STREAM.equals(type)) {
            return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(BodyInserters.fromServerSentEvents(broadcast.feed().map(EventsHandler::event)));
        }
        return ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON)
                .build((exchange, context) -> {
                    DataBufferFactory buffers = exchange.getResponse().bufferFactory();
                    return exchange.getResponse().writeAndFlushWith(
                            broadcast.feed().map(signal -> Mono.just(line(buffers, signal))));
                });
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

    private static ServerSentEvent<String> event(ExecSignal signal) {
        return ServerSentEvent.builder(ExecJson.toJson(signal)).event(signal instanceof Lost ? "lost" : "exec").build();
    }

    private static DataBuffer line(DataBufferFactory buffers, ExecSignal signal) {
        return buffers.wrap((ExecJson.toJson(signal) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
