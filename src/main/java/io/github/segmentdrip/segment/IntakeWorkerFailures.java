package io.github.segmentdrip.segment;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/**
 * What the intake's worker queues do with a request that failed on a worker (a refused batch, an
 * unavailable outbox): nothing but a DEBUG line. The door that handed the request over waits for it
 * and answers the failure through http-errors, which counts refusals and logs outages; the seda
 * consumer's own handler would log every refused request once more as a WARN, so a sender posting
 * bad batches would fill the log.
 */
public class IntakeWorkerFailures implements ExceptionHandler {

    private static final System.Logger LOG = System.getLogger(IntakeWorkerFailures.class.getName());

    @Override
    public void handleException(Throwable exception) {
        handleException("intake worker failed", null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        LOG.log(System.Logger.Level.DEBUG, () -> message + ", answered by the door: " + exception);
    }
}
