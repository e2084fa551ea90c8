package io.github.segmentdrip.testing;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The request bodies Drip accepts, per {@code /work/shared/reference/drip-api.md} §3–§7. Where
 * Drip is lenient or silent the emulator is strict on purpose, so a mapping bug fails a test
 * instead of passing unnoticed: the project's own {@code mapping.md} says what types it sends.
 */
final class DripContract {

    /** Drip docs, Batch API: 1 to 1,000 records per request. */
    static final int MAX_BATCH_RECORDS = 1000;

    /** Drip docs, Events: {@code properties.value} is integer cents below 2,147,483,647. */
    static final long MAX_CONVERSION_VALUE = 2_147_483_646L;

    /** Same rule as the project's "looks like an email": one {@code @}, no whitespace, a dot in the domain. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private static final Set<String> SUBSCRIBER_STRINGS = Set.of("user_id", "first_name", "last_name",
            "address1", "address2", "city", "state", "zip", "country", "phone", "ip_address", "time_zone",
            "eu_consent_message", "sms_number");
    private static final Set<String> CAMPAIGN_STRINGS = Set.of("user_id", "time_zone", "eu_consent_message");

    private DripContract() {
    }

    /** One validation failure, an element of Drip's {@code {"errors":[…]}} envelope. */
    record Error(String code, String attribute, String message) {
    }

    /** A refused request: the status and the errors Drip would answer with. */
    static final class Rejection extends RuntimeException {
        final int status;
        final transient List<Error> errors;

        Rejection(int status, List<Error> errors) {
            super(status + " " + errors, null, false, false);
            this.status = status;
            this.errors = List.copyOf(errors);
        }

        static Rejection malformed(String message) {
            return new Rejection(400, List.of(new Error("format_error", null, message)));
        }
    }

    /** {@code {"<key>":[record]}} with exactly one object, as the single endpoints take. */
    static JsonNode singleRecord(JsonNode root, String key) {
        JsonNode records = recordArray(root, key, "the request body");
        if (records.size() != 1) {
            throw Rejection.malformed("\"" + key + "\" must hold exactly one object, got " + records.size());
        }
        return records.get(0);
    }

    /** {@code {"batches":[{"<key>":[1..1000 records]}]}}, the v2 batch shape. */
    static List<JsonNode> batchRecords(JsonNode root, String key) {
        JsonNode batches = root.isObject() ? root.get("batches") : null;
        if (batches == null || !batches.isArray()) {
            throw Rejection.malformed("The request body must be an object with a \"batches\" array");
        }
        if (batches.size() != 1) {
            throw new Rejection(422, List.of(new Error("length_error", "batches",
                    "Exactly one element is allowed in batches, got " + batches.size())));
        }
        JsonNode records = recordArray(batches.get(0), key, "batches[0]");
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw new Rejection(422, List.of(new Error("length_error", key,
                    "A batch must hold 1 to " + MAX_BATCH_RECORDS + " " + key + ", got " + records.size())));
        }
        List<JsonNode> list = new ArrayList<>(records.size());
        records.forEach(list::add);
        return list;
    }

    static void checkSubscriber(JsonNode subscriber, String where, List<Error> errors) {
        checkEmail(subscriber, where, errors);
        if (subscriber.hasNonNull("new_email") && !isEmail(subscriber.get("new_email"))) {
            errors.add(error("email_error", "new_email", where, "New email is invalid"));
        }
        checkStrings(subscriber, SUBSCRIBER_STRINGS, where, errors);
        checkIntegers(subscriber, Set.of("lifetime_value", "base_lead_score"), where, errors);
        checkBooleans(subscriber, Set.of("prospect", "potential_lead", "sms_consent"), where, errors);
        checkOneOf(subscriber, "eu_consent", Set.of("granted", "denied"), where, errors);
        checkOneOf(subscriber, "status", Set.of("active", "unsubscribed"), where, errors);
        checkOneOf(subscriber, "initial_status", Set.of("active", "unsubscribed"), where, errors);
        checkTags(subscriber, "tags", where, errors);
        checkTags(subscriber, "remove_tags", where, errors);
        checkCustomFields(subscriber, where, errors);
    }

    static void checkCampaignSubscriber(JsonNode subscriber, List<Error> errors) {
        checkEmail(subscriber, null, errors);
        checkStrings(subscriber, CAMPAIGN_STRINGS, null, errors);
        checkIntegers(subscriber, Set.of("starting_email_index", "base_lead_score"), null, errors);
        checkBooleans(subscriber, Set.of("double_optin", "reactivate_if_removed", "prospect"), null, errors);
        checkOneOf(subscriber, "eu_consent", Set.of("granted", "denied"), null, errors);
        checkTags(subscriber, "tags", null, errors);
        checkCustomFields(subscriber, null, errors);
    }

    static void checkEvent(JsonNode event, String where, List<Error> errors) {
        checkEmail(event, where, errors);
        JsonNode action = event.get("action");
        if (action == null || !action.isTextual() || action.asText().isBlank()) {
            errors.add(error("presence_error", "action", where, "Action is required"));
        }
        JsonNode occurredAt = event.get("occurred_at");
        if (occurredAt != null && !occurredAt.isNull() && !isIsoTime(occurredAt)) {
            errors.add(error("time_error", "occurred_at", where, "Occurred at must be an ISO-8601 time"));
        }
        checkBooleans(event, Set.of("prospect"), where, errors);
        JsonNode properties = event.get("properties");
        if (properties == null || properties.isNull()) {
            return;
        }
        if (!properties.isObject()) {
            errors.add(error("format_error", "properties", where, "Properties must be an object"));
            return;
        }
        JsonNode value = properties.get("value");
        if (value != null && !value.isNull() && !isConversionValue(value)) {
            errors.add(error("range_error", "value", where,
                    "Value must be an integer from 0 to " + MAX_CONVERSION_VALUE + " (cents)"));
        }
    }

    /** The address an emulator keys a person by: Drip matches emails case-insensitively. */
    static String emailKey(JsonNode record) {
        JsonNode email = record.get("email");
        return email == null || !email.isTextual() ? null : email.asText().trim().toLowerCase(Locale.ROOT);
    }

    private static JsonNode recordArray(JsonNode parent, String key, String what) {
        JsonNode records = parent != null && parent.isObject() ? parent.get(key) : null;
        if (records == null || !records.isArray()) {
            throw Rejection.malformed(what + " must be an object with a \"" + key + "\" array");
        }
        for (JsonNode record : records) {
            if (!record.isObject()) {
                throw Rejection.malformed("Every element of \"" + key + "\" must be an object");
            }
        }
        return records;
    }

    private static void checkEmail(JsonNode record, String where, List<Error> errors) {
        JsonNode email = record.get("email");
        if (email == null || email.isNull() || (email.isTextual() && email.asText().isBlank())) {
            errors.add(error("presence_error", "email", where, "Email is required"));
        } else if (!isEmail(email)) {
            errors.add(error("email_error", "email", where, "Email is invalid"));
        }
    }

    private static boolean isEmail(JsonNode node) {
        return node.isTextual() && EMAIL.matcher(node.asText().trim()).matches();
    }

    private static void checkStrings(JsonNode record, Set<String> fields, String where, List<Error> errors) {
        for (String field : fields) {
            JsonNode node = record.get(field);
            if (node != null && !node.isNull() && !node.isTextual()) {
                errors.add(error("format_error", field, where, label(field) + " must be a string"));
            }
        }
    }

    private static void checkIntegers(JsonNode record, Set<String> fields, String where, List<Error> errors) {
        for (String field : fields) {
            JsonNode node = record.get(field);
            if (node != null && !node.isNull() && !node.isIntegralNumber()) {
                errors.add(error("format_error", field, where, label(field) + " must be an integer"));
            }
        }
    }

    private static void checkBooleans(JsonNode record, Set<String> fields, String where, List<Error> errors) {
        for (String field : fields) {
            JsonNode node = record.get(field);
            if (node != null && !node.isNull() && !node.isBoolean()) {
                errors.add(error("format_error", field, where, label(field) + " must be true or false"));
            }
        }
    }

    private static void checkOneOf(JsonNode record, String field, Set<String> allowed, String where,
            List<Error> errors) {
        JsonNode node = record.get(field);
        if (node != null && !node.isNull() && !(node.isTextual() && allowed.contains(node.asText()))) {
            errors.add(error("format_error", field, where, label(field) + " must be one of " + allowed));
        }
    }

    private static void checkTags(JsonNode record, String field, String where, List<Error> errors) {
        JsonNode node = record.get(field);
        if (node == null || node.isNull()) {
            return;
        }
        boolean ok = node.isArray();
        for (JsonNode tag : node) {
            ok &= tag.isTextual();
        }
        if (!ok) {
            errors.add(error("format_error", field, where, label(field) + " must be an array of strings"));
        }
    }

    private static void checkCustomFields(JsonNode record, String where, List<Error> errors) {
        JsonNode node = record.get("custom_fields");
        if (node == null || node.isNull()) {
            return;
        }
        boolean ok = node.isObject();
        for (JsonNode value : node) {
            ok &= value.isValueNode();
        }
        if (!ok) {
            errors.add(error("format_error", "custom_fields", where,
                    "Custom fields must be an object of strings, numbers and booleans"));
        }
    }

    private static boolean isConversionValue(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong()
                && value.asLong() >= 0 && value.asLong() <= MAX_CONVERSION_VALUE;
    }

    private static boolean isIsoTime(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(node.asText());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Error error(String code, String attribute, String where, String message) {
        return new Error(code, attribute, where == null ? message : where + ": " + message);
    }

    private static String label(String field) {
        String words = field.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
