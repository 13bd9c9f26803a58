package io.walkerd.store.sqlite;

/** Waiting for the store's own threads. */
final class Threads {
    private Threads() {}

    /** Waits until {@code thread} has ended, however often this thread is interrupted meanwhile (kept as its status). */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
