package io.github.segmentdrip.segment;

import io.github.segmentdrip.ecommerce.CartRecord;
import io.github.segmentdrip.ecommerce.CartState;
import io.github.segmentdrip.ecommerce.CartTransformer;
import io.github.segmentdrip.ecommerce.OrderTransformer;
import io.github.segmentdrip.ecommerce.ProductViewTransformer;
import io.github.segmentdrip.ecommerce.ShopperActivitySettings;
import io.github.segmentdrip.mapping.Mapped;
import io.github.segmentdrip.mapping.MappingException;
import io.github.segmentdrip.outbox.CartStore;
import io.github.segmentdrip.outbox.DripWork;
import io.github.segmentdrip.outbox.SeenMessages;
import io.github.segmentdrip.outbox.StoredCart;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps the {@code shopper-activity} route calls for Segment's e-commerce events (mapping.md
 * "E-commerce → Drip Shopper Activity"): an order record, the whole cart, or Drip's product view
 * event, each recorded on the request as Drip work beside (or, with keep-events off, instead of)
 * the custom event. Each step does nothing while its activity is off, so a classic setup keeps
 * its behaviour.
 */
public class ShopperActivityWork {

    private final ShopperActivitySettings settings;
    private final OrderTransformer orders;
    private final CartTransformer carts;
    private final ProductViewTransformer productViews;
    private final CartStore cartStore;
    private final SeenMessages seenMessages;

    public ShopperActivityWork(ShopperActivitySettings settings, CartStore cartStore, SeenMessages seenMessages) {
        this.settings = settings;
        this.orders = new OrderTransformer(settings);
        this.carts = new CartTransformer(settings);
        this.productViews = new ProductViewTransformer();
        this.cartStore = cartStore;
        this.seenMessages = seenMessages;
    }

    public boolean isEnabled() {
        return settings.enabled();
    }

    /** An order event with the Drip action the route chose; Order Completed also forgets the shopper's cart. */
    public void order(IntakeItem item, String action) {
        if (settings.carts() && CartState.ENDS_CART.equals(item.getEventName())) {
            safely(() -> CartState.cartKey(item.getEvent())).ifPresent(key -> item.getIntake()
                    .changeCart(item, current(item, key).forgotten()));
        }
        if (!settings.orders()) {
            return;
        }
        try {
            Mapped order = orders.toOrder(item.getEvent(), action, item.getIntake().getReceivedAt());
            accept(item, DripWork.Kind.ORDER, order);
        } catch (MappingException refused) {
            refusedForDrip(item, "order", refused);
        }
    }

    /** Product Added / Removed, Cart Viewed, Checkout Started: the cart changes, and Drip gets all of it. */
    public void cart(IntakeItem item) {
        if (!settings.carts()) {
            return;
        }
        Optional<String> key = safely(() -> CartState.cartKey(item.getEvent()));
        if (key.isEmpty()) {
            refusedForDrip(item, "cart", new MappingException("missing email", "properties.email"));
            return;
        }
        // A repeat of a cart event (a retried request) must not change the cart again: Segment's
        // deduplication, checked here before the change rather than only at the commit.
        String messageId = item.getMessageId();
        if (item.getIntake().changedCartAlready(messageId) || seenMessages.wasAccepted(messageId)) {
            item.getIntake().duplicate(item);
            return;
        }
        StoredCart before = current(item, key.get());
        List<Map<String, Object>> items = CartState.apply(before.items(), item.getEvent());
        try {
            CartRecord record = carts.toCart(item.getEvent(), items, before.sent(), item.getIntake().getReceivedAt());
            record.warnings().forEach(warning -> item.getIntake().warn(item, warning));
            item.getIntake().changeCart(item, before.with(items, before.sent() || record.present()));
            record.mapped().ifPresent(cart -> accept(item, DripWork.Kind.CART, cart));
        } catch (MappingException refused) {
            refusedForDrip(item, "cart", refused);
        }
    }

    /** Product Viewed: Drip's own {@code Viewed a Product} event, which its browse-abandonment workflows wait for. */
    public void productView(IntakeItem item) {
        if (!settings.productViews()) {
            return;
        }
        try {
            accept(item, DripWork.Kind.EVENT, productViews.toEvent(item.getEvent(), item.getIntake().getReceivedAt()));
        } catch (MappingException refused) {
            refusedForDrip(item, "product view", refused);
        }
    }

    private StoredCart current(IntakeItem item, String key) {
        return item.getIntake().pendingCart(key).orElseGet(() -> cartStore.load(key));
    }

    private void accept(IntakeItem item, DripWork.Kind kind, Mapped mapped) {
        mapped.warnings().forEach(warning -> item.getIntake().warn(item, warning));
        item.getIntake().accept(new DripWork(kind, (String) mapped.payload().get("email"), null, mapped.payload(),
                item.getEvent()));
        if (!settings.keepEvents()) {
            item.replaceCustomEvent();
        }
    }

    /**
     * No Shopper Activity record: while the custom event is kept it still goes, and the sender hears
     * why in the warnings; without it the message is refused, as any message that reaches Drip as nothing.
     */
    private void refusedForDrip(IntakeItem item, String what, MappingException refused) {
        if (settings.keepEvents()) {
            item.getIntake().warn(item, "no " + what + " record for Drip: " + refused.error()
                    + (refused.field() == null ? "" : " (" + refused.field() + ")"));
        } else {
            item.getIntake().refuse(item, refused.error(), refused.field());
        }
    }

    /** The cart key needs the email, whose invalid form is the track call's own refusal: no key here then. */
    private static Optional<String> safely(java.util.function.Supplier<Optional<String>> key) {
        try {
            return key.get();
        } catch (MappingException invalidEmail) {
            return Optional.empty();
        }
    }
}
