package io.github.segmentdrip.testing;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The request bodies Drip accepts, per {@code /work/shared/reference/drip-api.md} §3–§7 and Drip's
 * Order, Cart and Product Activity docs for the v3 Shopper Activity API. Where
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

    /** Drip docs, Order Activity: the six order actions. */
    static final Set<String> ORDER_ACTIONS = Set.of("placed", "updated", "paid", "fulfilled", "refunded", "canceled");
    /** Drip docs, Cart Activity. */
    static final Set<String> CART_ACTIONS = Set.of("created", "updated");
    /** Drip docs, Product Activity. */
    static final Set<String> PRODUCT_ACTIONS = Set.of("created", "updated", "deleted");

    /** Drip docs, Shopper Activity: {@code provider} "in lower snake cased form", e.g. {@code my_store}. */
    private static final Pattern LOWER_SNAKE_CASE = Pattern.compile("^[a-z0-9]+(_[a-z0-9]+)*$");

    /** Amounts in currency units; Drip documents them as numbers ({@code 22.99}). */
    private static final Set<String> ORDER_AMOUNTS = Set.of("grand_total", "total_discounts", "total_taxes",
            "total_fees", "total_shipping", "refund_amount");
    private static final Set<String> ORDER_ITEM_AMOUNTS = Set.of("price", "sale_price", "quantity", "discounts",
            "taxes", "fees", "shipping", "total");
    private static final Set<String> CART_AMOUNTS = Set.of("grand_total", "total_discounts");
    private static final Set<String> CART_ITEM_AMOUNTS = Set.of("price", "quantity", "discounts", "total");
    private static final Set<String> ITEM_STRINGS = Set.of("sku", "name", "brand", "product_url", "image_url");

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

    /**
     * Whether the path is one of Drip's batch endpoints, which have their own rate limit: v2
     * {@code …/batches}, v3 {@code …/shopper_activity/…/batch}.
     */
    static boolean isBatchPath(String path) {
        return path.endsWith("/batches") || path.endsWith("/batch");
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

    /** A v3 single body: the record itself, one JSON object. */
    static JsonNode shopperRecord(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw Rejection.malformed("The request body must be a JSON object");
        }
        return root;
    }

    /** {@code {"<key>":[1..1000 records]}}, the v3 batch shape: no {@code batches} wrapper. */
    static List<JsonNode> shopperBatchRecords(JsonNode root, String key) {
        JsonNode records = recordArray(root, key, "the request body");
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw new Rejection(422, List.of(new Error("length_error", key,
                    "A batch must hold 1 to " + MAX_BATCH_RECORDS + " " + key + ", got " + records.size())));
        }
        List<JsonNode> list = new ArrayList<>(records.size());
        records.forEach(list::add);
        return list;
    }

    /** Drip docs, Order Activity: provider, action, order_id, a person; every item needs a name. */
    static void checkOrder(JsonNode order, String where, List<Error> errors) {
        checkShopperCommon(order, ORDER_ACTIONS, where, errors);
        checkPerson(order, where, errors);
        checkId(order, "order_id", where, errors);
        checkStrings(order, Set.of("order_public_id", "currency", "order_url", "initial_status"), where, errors);
        checkNumbers(order, ORDER_AMOUNTS, where, errors);
        checkItems(order, Set.of("name"), ORDER_ITEM_AMOUNTS, where, errors);
    }

    /**
     * Drip docs, Cart Activity: provider, action, cart_id, cart_url, a person; every item needs
     * product_id, product_variant_id, name and price.
     */
    static void checkCart(JsonNode cart, String where, List<Error> errors) {
        checkShopperCommon(cart, CART_ACTIONS, where, errors);
        checkPerson(cart, where, errors);
        checkId(cart, "cart_id", where, errors);
        checkRequiredText(cart, "cart_url", where, errors);
        checkStrings(cart, Set.of("cart_public_id", "currency", "initial_status"), where, errors);
        checkNumbers(cart, CART_AMOUNTS, where, errors);
        checkItems(cart, Set.of("product_id", "product_variant_id", "name", "price"), CART_ITEM_AMOUNTS, where,
                errors);
    }

    /** Drip docs, Product Activity: provider, action, product_id, product_variant_id, name, price. */
    static void checkProduct(JsonNode product, String where, List<Error> errors) {
        checkShopperCommon(product, PRODUCT_ACTIONS, where, errors);
        checkId(product, "product_id", where, errors);
        checkId(product, "product_variant_id", where, errors);
        checkRequiredText(product, "name", where, errors);
        checkRequired(product, "price", where, errors);
        checkStrings(product, Set.of("sku", "brand", "currency", "product_url", "image_url"), where, errors);
        checkNumbers(product, Set.of("price"), where, errors);
        checkIntegers(product, Set.of("inventory"), where, errors);
        checkTags(product, "categories", where, errors);
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

    private static void checkShopperCommon(JsonNode record, Set<String> actions, String where, List<Error> errors) {
        JsonNode provider = record.get("provider");
        if (isBlank(provider)) {
            errors.add(error("presence_error", "provider", where, "Provider is required"));
        } else if (!provider.isTextual() || !LOWER_SNAKE_CASE.matcher(provider.asText()).matches()) {
            errors.add(error("format_error", "provider", where, "Provider must be lower snake case"));
        }
        JsonNode action = record.get("action");
        if (isBlank(action)) {
            errors.add(error("presence_error", "action", where, "Action is required"));
        } else if (!action.isTextual() || !actions.contains(action.asText())) {
            errors.add(error("format_error", "action", where, "Action must be one of " + new TreeSet<>(actions)));
        }
        JsonNode occurredAt = record.get("occurred_at");
        if (occurredAt != null && !occurredAt.isNull() && !isIsoTime(occurredAt)) {
            errors.add(error("time_error", "occurred_at", where, "Occurred at must be an ISO-8601 time"));
        }
    }

    /** Drip docs: "Either person_id or email must be included". */
    private static void checkPerson(JsonNode record, String where, List<Error> errors) {
        if (!isBlank(record.get("person_id"))) {
            checkStrings(record, Set.of("person_id"), where, errors);
            return;
        }
        JsonNode email = record.get("email");
        if (isBlank(email)) {
            errors.add(error("presence_error", "email", where, "Email or person_id is required"));
        } else if (!isEmail(email)) {
            errors.add(error("email_error", "email", where, "Email is invalid"));
        }
    }

    /** A required identifier: a non-blank string, or a number. */
    private static void checkId(JsonNode record, String field, String where, List<Error> errors) {
        JsonNode node = record.get(field);
        if (isBlank(node)) {
            errors.add(error("presence_error", field, where, label(field) + " is required"));
        } else if (!node.isTextual() && !node.isNumber()) {
            errors.add(error("format_error", field, where, label(field) + " must be a string"));
        }
    }

    private static void checkRequiredText(JsonNode record, String field, String where, List<Error> errors) {
        JsonNode node = record.get(field);
        if (isBlank(node)) {
            errors.add(error("presence_error", field, where, label(field) + " is required"));
        } else if (!node.isTextual()) {
            errors.add(error("format_error", field, where, label(field) + " must be a string"));
        }
    }

    private static void checkRequired(JsonNode record, String field, String where, List<Error> errors) {
        if (isBlank(record.get(field))) {
            errors.add(error("presence_error", field, where, label(field) + " is required"));
        }
    }

    /** Amounts are JSON numbers: {@code "54.00"} as text is refused, so a mapping bug shows. */
    private static void checkNumbers(JsonNode record, Set<String> fields, String where, List<Error> errors) {
        for (String field : fields) {
            JsonNode node = record.get(field);
            if (node != null && !node.isNull() && !node.isNumber()) {
                errors.add(error("format_error", field, where, label(field) + " must be a number"));
            }
        }
    }

    private static void checkItems(JsonNode record, Set<String> required, Set<String> amounts, String where,
            List<Error> errors) {
        JsonNode items = record.get("items");
        if (items == null || items.isNull()) {
            return;
        }
        if (!items.isArray()) {
            errors.add(error("format_error", "items", where, "Items must be an array of objects"));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemWhere = (where == null ? "" : where + ".") + "items[" + i + "]";
            if (!item.isObject()) {
                errors.add(error("format_error", "items", itemWhere, "Every item must be an object"));
                continue;
            }
            for (String field : required) {
                if (isBlank(item.get(field))) {
                    errors.add(error("presence_error", field, itemWhere, label(field) + " is required"));
                }
            }
            checkStrings(item, ITEM_STRINGS, itemWhere, errors);
            checkNumbers(item, amounts, itemWhere, errors);
            checkTags(item, "categories", itemWhere, errors);
        }
    }

    private static boolean isBlank(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isBlank());
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
