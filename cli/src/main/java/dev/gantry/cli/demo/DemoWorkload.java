package dev.gantry.cli.demo;

import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The demo's remote functions and how it submits them. */
public final class DemoWorkload {
    private DemoWorkload() {}

    public static String hello(String name) {
        return "Hello, " + name + "!";
    }

    /** An estimate of pi from {@code samples} random points in the unit square, seeded by {@code seed}. */
    public static double estimatePi(long seed, int samples) {
        SplittableRandom random = new SplittableRandom(seed);
        long inside = 0;
        for (int i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return 4.0 * inside / samples;
    }

    public static ComputeFuture<String> submitHello(ComputeExecutor ex, String name) {
        return ex.submit(DemoWorkload::hello, name);
    }

    public static List<ComputeFuture<Double>> submitSweep(ComputeExecutor ex, int tasks, int samples) {
        List<ComputeFuture<Double>> out = new ArrayList<>(tasks);
        for (long seed = 0; seed < tasks; seed++) {
            out.add(ex.submit(DemoWorkload::estimatePi, seed, samples));
        }
        return out;
    }
}
