package io.github.segmentdrip.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Segment identify → one Drip subscriber, the element of {@code {"subscribers":[…]}} sent to
 * {@code POST /v2/{account}/subscribers}. Drip's own fields are filled from the well-known traits;
 * every other trait becomes a custom field, so all traits reach Drip without the well-known ones
 * showing up twice. Rules: mapping.md "identify" and "Custom fields".
 */
public class TraitsTransformer {

    private static final System.Logger LOG = System.getLogger(TraitsTransformer.class.getName());

    /**
     * RudderStack's Drip destination drops longer values; Drip publishes no limit, so the
     * project takes the known working bound and reports the drop (drip-api.md §6).
     */
    static final int MAX_VALUE_LENGTH = 1_000;

    /**
     * Traits that fill Drip's own subscriber fields (the identify table's "from" column). They
     * never become custom fields, even when another spelling won or the value was unusable: a
     * custom field named like a Drip field (first_name, prospect...) would shadow it in Drip's
     * templates. {@code status} and {@code initial_status} are deliberately absent: a customer's
     * own "status" trait must never unsubscribe anyone, so it stays a custom field.
     */
    private static final Set<String> DRIP_FIELD_TRAITS = Set.of(
            "email", "firstName", "first_name", "lastName", "last_name", "name", "phone",
            "time_zone", "timezone", "ip_address", "tags", "remove_tags", "new_email", "newEmail",
            "prospect", "base_lead_score", "lifetime_value", "eu_consent", "eu_consent_message");

    /** Of those, the ones Drip stores as text: a string, or a number written out (a phone, a zip). */
    private static final Set<String> TEXT_TRAITS = Set.of(
            "email", "firstName", "first_name", "lastName", "last_name", "name", "phone",
            "time_zone", "timezone", "ip_address", "new_email", "newEmail", "eu_consent_message");

    /** {@code traits.address} keys that fill Drip's address fields; other keys become custom fields. */
    private static final Set<String> DRIP_ADDRESS_KEYS = Set.of(
            "street", "street2", "city", "state", "country", "postalCode", "postal_code", "zip");

    /** Objects that already hold Drip custom fields (Drip (Actions), RudderStack). */
    private static final Set<String> CUSTOM_FIELD_OBJECTS = Set.of("custom_fields", "customFields");

    /** Drip reserves custom fields starting with drip_ (Drip JavaScript API, Identify). */
    private static final String RESERVED_PREFIX = "drip_";

    private static final Pattern ACRONYM_THEN_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");
    private static final Pattern LOWER_THEN_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern NOT_KEY_CHARACTERS = Pattern.compile("[^a-z0-9_]+");
    private static final Pattern REPEATED_UNDERSCORES = Pattern.compile("_{2,}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * @param identifyEvent a Segment identify message
     * @return the Drip subscriber; absent fields are left out, never sent as null
     * @throws MappingException {@code missing email} when no email can be found
     */
    public Mapped toSubscriber(Map<String, Object> identifyEvent) {
        String email = EmailResolver.forIdentify(identifyEvent)
                .orElseThrow(() -> new MappingException("missing email", "traits.email"));
        Map<String, Object> traits = object(identifyEvent.get("traits"));
        Map<String, Object> address = object(traits.get("address"));
        Map<String, Object> context = object(identifyEvent.get("context"));
        List<String> warnings = new ArrayList<>();
        reportNonText(traits, TEXT_TRAITS, "traits.", warnings);
        reportNonText(address, DRIP_ADDRESS_KEYS, "traits.address.", warnings);

        Map<String, Object> subscriber = new LinkedHashMap<>();
        subscriber.put("email", email);
        text(identifyEvent.get("userId")).ifPresent(id -> subscriber.put("user_id", id));

        Optional<String[]> nameParts = text(traits.get("name")).map(name -> WHITESPACE.split(name, 2));
        firstText(traits, "firstName", "first_name")
                .or(() -> nameParts.map(parts -> parts[0]))
                .ifPresent(first -> subscriber.put("first_name", first));
        firstText(traits, "lastName", "last_name")
                .or(() -> nameParts.filter(parts -> parts.length > 1).map(parts -> parts[1]))
                .ifPresent(last -> subscriber.put("last_name", last));
        text(traits.get("phone")).ifPresent(phone -> subscriber.put("phone", phone));

        text(address.get("street")).ifPresent(street -> subscriber.put("address1", street));
        text(address.get("street2")).ifPresent(street2 -> subscriber.put("address2", street2));
        text(address.get("city")).ifPresent(city -> subscriber.put("city", city));
        text(address.get("state")).ifPresent(state -> subscriber.put("state", state));
        text(address.get("country")).ifPresent(country -> subscriber.put("country", country));
        firstText(address, "postalCode", "postal_code", "zip").ifPresent(zip -> subscriber.put("zip", zip));

        firstText(traits, "time_zone", "timezone")
                .or(() -> text(context.get("timezone")))
                .ifPresent(zone -> subscriber.put("time_zone", zone));
        text(traits.get("ip_address"))
                .or(() -> text(context.get("ip")))
                .ifPresent(ip -> subscriber.put("ip_address", ip));
        tags(traits, "tags", warnings).ifPresent(tags -> subscriber.put("tags", tags));
        tags(traits, "remove_tags", warnings).ifPresent(tags -> subscriber.put("remove_tags", tags));
        firstText(traits, "new_email", "newEmail").ifPresent(newEmail -> subscriber.put("new_email", newEmail));

        lifted(traits, "prospect", TraitsTransformer::bool, "a boolean", warnings)
                .ifPresent(prospect -> subscriber.put("prospect", prospect));
        lifted(traits, "base_lead_score", TraitsTransformer::integer, "an integer", warnings)
                .ifPresent(score -> subscriber.put("base_lead_score", score));
        lifted(traits, "lifetime_value", TraitsTransformer::integer, "an integer number of cents", warnings)
                .ifPresent(cents -> subscriber.put("lifetime_value", cents));
        lifted(traits, "eu_consent", TraitsTransformer::consent, "granted or denied", warnings)
                .ifPresent(consent -> subscriber.put("eu_consent", consent));
        text(traits.get("eu_consent_message")).ifPresent(message -> subscriber.put("eu_consent_message", message));

        Map<String, Object> customFields = customFields(traits, audienceKey(context), warnings);
        if (!customFields.isEmpty()) {
            subscriber.put("custom_fields", customFields);
        }
        return new Mapped(subscriber, warnings);
    }

    /**
     * Drip's custom field key: lowercase snake_case ({@code subscriptionPlan} →
     * {@code subscription_plan}, {@code Friend Count} → {@code friend_count}), only
     * {@code [a-z0-9_]}, no repeated or edge underscores. Empty when nothing usable is left.
     */
    static String customFieldKey(String key) {
        String snake = LOWER_THEN_UPPER.matcher(ACRONYM_THEN_WORD.matcher(key).replaceAll("$1_$2"))
                .replaceAll("$1_$2")
                .toLowerCase(Locale.ROOT);
        String collapsed = REPEATED_UNDERSCORES.matcher(NOT_KEY_CHARACTERS.matcher(snake).replaceAll("_"))
                .replaceAll("_");
        int start = collapsed.startsWith("_") ? 1 : 0;
        int end = collapsed.endsWith("_") && collapsed.length() > start ? collapsed.length() - 1 : collapsed.length();
        return collapsed.substring(start, end);
    }

    // ---- custom fields ------------------------------------------------------------------------

    private Map<String, Object> customFields(Map<String, Object> traits, Optional<String> audienceKey,
            List<String> warnings) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> explicit = new LinkedHashMap<>();
        traits.forEach((key, value) -> {
            if (DRIP_FIELD_TRAITS.contains(key) || key.equals("id")) {
                // Lifted into Drip's own fields; traits.id is the user id, carried by user_id.
                return;
            }
            if (CUSTOM_FIELD_OBJECTS.contains(key) && value instanceof Map<?, ?> given) {
                // Already Drip custom fields: their keys are used directly, without the prefix.
                object(given).forEach((name, fieldValue) ->
                        add(explicit, name, fieldValue, "traits." + key + "." + name, warnings));
                return;
            }
            if (key.equals("address") && value instanceof Map<?, ?> given) {
                Map<String, Object> rest = new LinkedHashMap<>(object(given));
                rest.keySet().removeAll(DRIP_ADDRESS_KEYS);
                add(fields, key, rest, "traits.address", warnings);
                return;
            }
            add(fields, key, audienceValue(key, value, audienceKey), "traits." + key, warnings);
        });
        // custom_fields wins over a flattened trait of the same key, wherever it stands.
        explicit.forEach((key, value) -> put(fields, key, value));
        return fields;
    }

    /**
     * Engage sends an audience as a trait named by {@code context.personas.computation_key},
     * true on entry and false on exit; Journeys send the strings "true"/"false". Drip gets a
     * boolean either way, so its segments can test it.
     */
    private static Object audienceValue(String key, Object value, Optional<String> audienceKey) {
        boolean isAudienceTrait = audienceKey
                .filter(audience -> audience.equals(key) || customFieldKey(audience).equals(customFieldKey(key)))
                .isPresent();
        if (isAudienceTrait && value instanceof String text) {
            String flag = text.strip();
            if (flag.equalsIgnoreCase("true") || flag.equalsIgnoreCase("false")) {
                return Boolean.valueOf(flag);
            }
        }
        return value;
    }

    private static Optional<String> audienceKey(Map<String, Object> context) {
        Map<String, Object> personas = object(context.get("personas"));
        if (!"audience".equals(personas.get("computation_class"))) {
            return Optional.empty();
        }
        return text(personas.get("computation_key"));
    }

    /** One trait (or a nested object of them) into custom fields, by the rules of mapping.md. */
    private static void add(Map<String, Object> fields, String rawKey, Object value, String source,
            List<String> warnings) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> nested) {
            // company.employee_count → company_employee_count
            object(nested).forEach((childKey, childValue) ->
                    add(fields, rawKey + "_" + childKey, childValue, source + "." + childKey, warnings));
            return;
        }
        String key = customFieldKey(rawKey);
        if (key.isEmpty()) {
            warnings.add(source + " dropped: its name has no letters or digits Drip accepts");
            return;
        }
        if (key.startsWith(RESERVED_PREFIX)) {
            warnings.add(source + " dropped: custom fields starting with drip_ are reserved by Drip");
            return;
        }
        Object fieldValue = value;
        if (value instanceof List<?> list) {
            if (!list.stream().allMatch(item -> item == null || isScalar(item))) {
                warnings.add(source + " dropped: a list of objects or lists has no custom field form");
                return;
            }
            fieldValue = list.stream().filter(Objects::nonNull).map(TraitsTransformer::render)
                    .collect(Collectors.joining(","));
        } else if (!isScalar(value)) {
            warnings.add(source + " dropped: unsupported value type " + value.getClass().getSimpleName());
            return;
        }
        if (fieldValue instanceof String text && text.codePointCount(0, text.length()) > MAX_VALUE_LENGTH) {
            warnings.add(source + " dropped: longer than " + MAX_VALUE_LENGTH + " characters");
            return;
        }
        put(fields, key, fieldValue);
    }

    private static void put(Map<String, Object> fields, String key, Object value) {
        if (fields.containsKey(key)) {
            LOG.log(System.Logger.Level.DEBUG, "Two traits give custom field {0}; the later one wins", key);
        }
        fields.put(key, value);
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    // ---- Drip's own fields --------------------------------------------------------------------

    /** Drip wants tags as an array of strings; Segment users send an array or "a, b, c". */
    private static Optional<List<String>> tags(Map<String, Object> traits, String key, List<String> warnings) {
        Object value = traits.get(key);
        List<?> items;
        if (value == null) {
            return Optional.empty();
        } else if (value instanceof String text) {
            items = Arrays.asList(text.split(","));
        } else if (value instanceof List<?> list && list.stream().allMatch(item -> item == null || isScalar(item))) {
            items = list;
        } else {
            warnings.add("traits." + key + " dropped: Drip expects a list of strings or a comma-separated string");
            return Optional.empty();
        }
        List<String> tags = items.stream()
                .map(item -> text(item instanceof Boolean ? item.toString() : item)).flatMap(Optional::stream).toList();
        return tags.isEmpty() ? Optional.empty() : Optional.of(tags);
    }

    /** Text fields silently take the next source; say why the trait that was there did not count. */
    private static void reportNonText(Map<String, Object> map, Set<String> keys, String prefix,
            List<String> warnings) {
        map.forEach((key, value) -> {
            if (keys.contains(key) && value != null && !(value instanceof String) && !(value instanceof Number)) {
                warnings.add(prefix + key + " dropped: Drip expects text");
            }
        });
    }

    /** A typed trait for a Drip field; a value of the wrong type is dropped and reported. */
    private static Optional<Object> lifted(Map<String, Object> traits, String key,
            Function<Object, Optional<?>> convert, String expected, List<String> warnings) {
        Object value = traits.get(key);
        if (value == null) {
            return Optional.empty();
        }
        Optional<?> converted = convert.apply(value);
        if (converted.isEmpty()) {
            warnings.add("traits." + key + " dropped: Drip expects " + expected);
        }
        return converted.map(Object.class::cast);
    }

    private static Optional<?> bool(Object value) {
        if (value instanceof Boolean flag) {
            return Optional.of(flag);
        }
        if (value instanceof String text
                && (text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.valueOf(text.strip()));
        }
        return Optional.empty();
    }

    /** Whole numbers, also as 30.0 or "30"; 12.5 is not a score or an amount of cents. */
    private static Optional<?> integer(Object value) {
        try {
            if (value instanceof Number || value instanceof String) {
                return Optional.of(new BigDecimal(value.toString().strip()).longValueExact());
            }
        } catch (NumberFormatException | ArithmeticException notWhole) {
            // falls through: reported by the caller
        }
        return Optional.empty();
    }

    private static Optional<?> consent(Object value) {
        return text(value).map(text -> text.toLowerCase(Locale.ROOT))
                .filter(text -> text.equals("granted") || text.equals("denied"));
    }

    // ---- reading the message ------------------------------------------------------------------

    private static Optional<String> firstText(Map<String, Object> map, String... keys) {
        for (String key : keys) {
            Optional<String> found = text(map.get(key));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** A non-blank string, trimmed, or a number as written (a zip or phone sent as a number). */
    private static Optional<String> text(Object value) {
        if (value instanceof String text) {
            return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
        }
        return value instanceof Number number ? Optional.of(render(number)) : Optional.empty();
    }

    /** Numbers without a trailing ".0" (94103.0 → "94103"); other scalars as their text. */
    private static String render(Object scalar) {
        if (scalar instanceof Double || scalar instanceof Float || scalar instanceof BigDecimal) {
            try {
                return new BigDecimal(scalar.toString()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException notFinite) {
                return scalar.toString();
            }
        }
        return scalar.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return Map.of();
        }
        if (map.keySet().stream().allMatch(String.class::isInstance)) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, item) -> copy.put(String.valueOf(key), item));
        return copy;
    }
}
