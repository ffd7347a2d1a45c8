package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

class OrderedWorkersTest {
    @Test
    void resultsArriveInTaskOrderEvenWhenLaterTasksFinishFirst() {
        // Task 0 waits until task 3 has finished, so the threads finish out of order.
        CountDownLatch task3Done = new CountDownLatch(1);
        OrderedWorkers workers = new OrderedWorkers(4, 8);
        List<Integer> seen = new ArrayList<>();
        workers.run(20, i -> {
            if (i == 0) await(task3Done);
            if (i == 3) task3Done.countDown();
            return i * i;
        }, (i, r) -> {
            assertEquals(i * i, r.intValue());
            seen.add(i);
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) expected.add(i);
        assertEquals(expected, seen);
    }

    @Test
    void backPressureKeepsAtMostCapacityTasksAhead() {
        int capacity = 3;
        OrderedWorkers workers = new OrderedWorkers(4, capacity);
        AtomicInteger started = new AtomicInteger();
        int[] worstAhead = {0};
        workers.run(50, i -> started.incrementAndGet(), (i, r) -> {
            // tasks begun but whose results are not yet consumed, counting this one
            worstAhead[0] = Math.max(worstAhead[0], started.get() - i);
        });
        assertTrue(worstAhead[0] <= capacity, "tasks ahead of the consumer: " + worstAhead[0]);
        assertEquals(capacity, workers.peakQueued());
    }

    @Test
    void aFailingTaskStopsTheRunWithItsException() {
        OrderedWorkers workers = new OrderedWorkers(2, 4);
        IllegalStateException boom = new IllegalStateException("boom");
        List<Integer> seen = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> workers.run(10, i -> {
            if (i == 5) throw boom;
            return i;
        }, (i, r) -> seen.add(i)));
        assertSame(boom, thrown);
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void invalidSizesAreNamed() {
        assertEquals("invalid threads = 0: expected at least 1",
                assertThrows(InvalidParameterException.class, () -> new OrderedWorkers(0, 1)).getMessage());
        assertEquals("invalid capacity = 0: expected at least 1",
                assertThrows(InvalidParameterException.class, () -> new OrderedWorkers(1, 0)).getMessage());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("latch never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
