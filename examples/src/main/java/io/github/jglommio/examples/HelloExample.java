package io.github.jglommio.examples;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.timer.Timer;

import java.time.Duration;

/**
 * The guide's first programs (§1.1 "What is Glommio" and §2.3 "The first Glommio program") in
 * jglommio: an executor on the calling thread, a task, a timer, and a join.
 */
public final class HelloExample {

    private HelloExample() {
    }

    /** Guide §1.1: spawn a task that prints and returns 42; await it. */
    static int section11() {
        return LocalExecutor.create().run(() -> {
            Task<Integer> task = Task.local(() -> {
                System.out.println("Hello from jglommio!");
                return 42;
            });
            int result = task.join();
            System.out.println("Result: " + result);
            return result;
        });
    }

    /** Guide §2.3: the same, with a 100 ms timer that parks only the task. */
    static int section23() {
        return LocalExecutor.create().run(() -> {
            System.out.println("🚀 jglommio started!");
            Task<Integer> task = Task.local(() -> {
                Timer.sleep(Duration.ofMillis(100));
                System.out.println("✅ Task completed");
                return 42;
            });
            int result = task.join();
            System.out.println("📊 Result: " + result);
            return result;
        });
    }

    public static void main(String[] args) {
        System.out.println("== guide §1.1 ==");
        section11();
        System.out.println("== guide §2.3 ==");
        section23();
    }
}
