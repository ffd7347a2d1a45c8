package org.glassbox.imagenet;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * Runs tasks 0 .. count-1 on a pool of threads and hands their results to one consumer in task
 * order, whatever order the threads finish in, so the output never depends on thread timing.
 *
 * <p>Memory is bounded by back-pressure: a bounded queue holds the tasks submitted and not yet
 * consumed, at most {@code capacity} of them; task {@code i + capacity} is submitted only after
 * result {@code i} has been consumed. So at most {@code capacity} results (decoded images) exist at
 * once, and a slow consumer stalls the workers instead of filling memory.
 */
final class OrderedWorkers {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final int capacity;
    private int peakQueued;

    /**
     * @param threads worker threads, at least 1
     * @param capacity the most results submitted and not yet consumed, at least 1
     */
    OrderedWorkers(int threads, int capacity) {
        if (threads < 1) throw new InvalidParameterException("threads", threads, "at least 1");
        if (capacity < 1) throw new InvalidParameterException("capacity", capacity, "at least 1");
        this.threads = threads;
        this.capacity = capacity;
    }

    /** Receives result {@code index} of a run, in index order. */
    @FunctionalInterface
    interface Consumer<T> {
        void accept(int index, T result);
    }

    /**
     * Runs {@code task} for 0 .. count-1 and gives each result to {@code consumer} in index order. An
     * exception thrown by a task or by the consumer stops the run (pending tasks are cancelled) and
     * is rethrown here.
     */
    <T> void run(int count, IntFunction<T> task, Consumer<T> consumer) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "glassbox-decode-" + pool + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<T>> queue = new ArrayDeque<>(capacity);
        int next = 0;
        try {
            for (int i = 0; i < count; i++) {
                while (next < count && queue.size() < capacity) {
                    int k = next++;
                    queue.add(executor.submit(() -> task.apply(k)));
                }
                synchronized (this) {
                    peakQueued = Math.max(peakQueued, queue.size());
                }
                consumer.accept(i, await(queue.poll()));
            }
        } finally {
            for (Future<T> f : queue) f.cancel(true);
            executor.shutdownNow();
        }
    }

    /** The largest number of submitted, unconsumed tasks seen so far (never more than the capacity). */
    synchronized int peakQueued() {
        return peakQueued;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlassboxException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }
}
