package io.grantsmith.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Timings of repeated runs, in nanoseconds, and their order statistics. */
final class Stats {
  private final List<Long> nanos = new ArrayList<>();

  void add(long n) {
    nanos.add(n);
  }

  int count() {
    return nanos.size();
  }

  List<Long> values() {
    return List.copyOf(nanos);
  }

  /** The median; for an even count, the mean of the two middle values. */
  double median() {
    return percentile(50);
  }

  /** The p-th percentile by linear interpolation between closest ranks (p 0 to 100). */
  double percentile(double p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    double rank = p / 100.0 * (s.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return s.get(lo) + (s.get(hi) - s.get(lo)) * (rank - lo);
  }

  double medianMillis() {
    return median() / 1e6;
  }

  double percentileMillis(double p) {
    return percentile(p) / 1e6;
  }

  /** Runs {@code body} {@code warmup} times untimed and {@code reps} times timed. */
  static Stats time(int warmup, int reps, Body before, Body body, Body after) throws Exception {
    Stats s = new Stats();
    for (int i = 0; i < warmup + reps; i++) {
      if (before != null) {
        before.run();
      }
      long t0 = System.nanoTime();
      body.run();
      long t = System.nanoTime() - t0;
      if (after != null) {
        after.run();
      }
      if (i >= warmup) {
        s.add(t);
      }
    }
    return s;
  }

  /** A timed or untimed piece of work. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }
}
