package io.github.segmentdrip.mapping;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberCoalescerTest {

    @Test
    void laterValuesWinAndCustomFieldsMergeKeyByKey() {
        Map<String, Object> merged = SubscriberCoalescer.merge(List.of(
                Map.of("email", "a@example.com", "first_name", "Ann", "custom_fields", Map.of("plan", "free", "seats", 1)),
                Map.of("email", "a@example.com", "first_name", "Anna", "custom_fields", Map.of("plan", "pro"))));
        assertThat(merged).isEqualTo(Map.of("email", "a@example.com", "first_name", "Anna",
                "custom_fields", Map.of("plan", "pro", "seats", 1)));
    }

    @Test
    void tagsAndRemoveTagsReplayInOrder() {
        Map<String, Object> merged = SubscriberCoalescer.merge(List.of(
                Map.of("email", "a@example.com", "tags", List.of("trial", "newsletter")),
                Map.of("email", "a@example.com", "remove_tags", List.of("trial")),
                Map.of("email", "a@example.com", "tags", List.of("customer"), "remove_tags", List.of("newsletter")),
                Map.of("email", "a@example.com", "tags", List.of("newsletter"))));
        assertThat(merged.get("tags")).isEqualTo(List.of("customer", "newsletter"));
        assertThat(merged.get("remove_tags")).isEqualTo(List.of("trial"));
    }

    @Test
    void aSingleUpsertIsUnchanged() {
        Map<String, Object> upsert = Map.of("email", "a@example.com", "tags", List.of("x"), "custom_fields", Map.of("k", "v"));
        assertThat(SubscriberCoalescer.merge(List.of(upsert))).isEqualTo(upsert);
    }
}
