package io.github.segmentdrip.segment;

import java.util.Map;

/** A message of a request that was refused, reported to the sender and kept as a dead letter. */
public record Rejected(int index, String error, String field, Map<String, Object> event) {
}
