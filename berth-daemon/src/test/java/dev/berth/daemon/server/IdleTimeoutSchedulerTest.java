package dev.berth.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeoutSchedulerTest {

    @Test
    void schedulesAsJettysDoesWithItsTickPendingAndStopsWithoutWaitingForIt() throws Exception {
        IdleTimeoutScheduler scheduler = new IdleTimeoutScheduler();
        scheduler.start();
        try {
            // the tick is the one task of an idle daemon
            assertThat(scheduler.ticking()).isTrue();
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.schedule(ran::countDown, 10, TimeUnit.MILLISECONDS);
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            long before = System.nanoTime();
            scheduler.stop();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before)).isLessThan(IdleTimeoutScheduler.TICK_SECONDS);
        }
        assertThat(scheduler.isStopped()).isTrue();
        assertThat(scheduler.ticking()).isFalse();
    }
}
