package io.github.segmentdrip.mapping;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How every body from outside is read: the Segment intake, Drip's webhooks and the drip-sink
 * Kamelet's events. Limits that make hostile JSON cheap to refuse (shallow nesting, short numbers
 * and strings), duplicate keys refused, and exactly one JSON value per body: anything but whitespace
 * after it is refused rather than silently ignored (mapping.md "Request bodies").
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** A new mapper with those limits; thread-safe once built, so callers keep one. */
    public static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(100)
                .maxStringLength(SegmentLimits.MAX_BATCH_BYTES)
                .maxNameLength(1000)
                .build());
        return mapper;
    }
}
