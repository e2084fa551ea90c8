package io.github.segmentdrip.it;

/**
 * {@link DripEmulatorResource} with its settings and nothing more, for the test classes that share
 * one application: {@code IntakeTest}, {@code SegmentToDripTest} and {@code DeliveryOutcomesTest}
 * (and their jar twins). Quarkus orders test classes by resource class, not by arguments, so a
 * class of its own keeps them next to each other and Quarkus starts once for all of them; under
 * {@code DripEmulatorResource} they would be interleaved with the classes that pass arguments.
 */
public class SharedEmulatorResource extends DripEmulatorResource {
}
