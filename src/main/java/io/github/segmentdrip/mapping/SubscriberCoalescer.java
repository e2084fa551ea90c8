package io.github.segmentdrip.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Merges queued upserts of one subscriber into the single record Drip would have ended up with,
 * so a burst of identifies costs one request instead of many. Later values win; custom fields are
 * merged key by key; tags and remove_tags are replayed in order, so a tag added and later removed
 * ends up removed (and the other way round).
 */
public final class SubscriberCoalescer {

    private SubscriberCoalescer() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(List<Map<String, Object>> upserts) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Object> customFields = new LinkedHashMap<>();
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        LinkedHashSet<String> removeTags = new LinkedHashSet<>();
        for (Map<String, Object> upsert : upserts) {
            for (Map.Entry<String, Object> field : upsert.entrySet()) {
                switch (field.getKey()) {
                    case "custom_fields" -> {
                        if (field.getValue() instanceof Map<?, ?> fields) {
                            customFields.putAll((Map<String, Object>) fields);
                        }
                    }
                    case "tags" -> strings(field.getValue()).forEach(tag -> {
                        removeTags.remove(tag);
                        tags.add(tag);
                    });
                    case "remove_tags" -> strings(field.getValue()).forEach(tag -> {
                        tags.remove(tag);
                        removeTags.add(tag);
                    });
                    default -> merged.put(field.getKey(), field.getValue());
                }
            }
        }
        if (!tags.isEmpty()) {
            merged.put("tags", new ArrayList<>(tags));
        }
        if (!removeTags.isEmpty()) {
            merged.put("remove_tags", new ArrayList<>(removeTags));
        }
        if (!customFields.isEmpty()) {
            merged.put("custom_fields", customFields);
        }
        return merged;
    }

    private static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item != null) {
                    result.add(item.toString());
                }
            }
        }
        return result;
    }
}
