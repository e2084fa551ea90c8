package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The intake's 200 body, in the shape Segment's libraries expect. Refusals are answered by the
 * {@code http-errors} route configuration ({@link io.github.segmentdrip.http.RefusalBodies}).
 */
public class IntakeResponses {

    private final ObjectMapper json = new ObjectMapper();

    /** 200 after the outbox commit; a batch also lists the messages it refused, by index. */
    public String accepted(Intake intake) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        if (!intake.getRejected().isEmpty()) {
            body.put("rejected", intake.getRejected().stream()
                    .sorted(java.util.Comparator.comparingInt(Rejected::index)).map(r -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", r.index());
                entry.put("error", r.error());
                if (r.field() != null) {
                    entry.put("field", r.field());
                }
                return entry;
            }).toList());
        }
        if (!intake.getWarnings().isEmpty()) {
            body.put("warnings", intake.getWarnings());
        }
        return write(body);
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

}
