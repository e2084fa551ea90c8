package io.github.segmentdrip.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON bodies the intake answers with, in the shape Segment's libraries expect. */
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

    /** The error body of a refused request: {@code {"success":false,"error":…,"field":…}}. */
    public String refused(IntakeRejection rejection) {
        return error(rejection.getError(), rejection.getField());
    }

    public String error(String error, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
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
