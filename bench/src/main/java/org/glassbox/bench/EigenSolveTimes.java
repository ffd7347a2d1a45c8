package org.glassbox.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.glassbox.framework.linalg.Lapack;
import org.glassbox.framework.linalg.ShiftInvertLanczos;
import org.glassbox.framework.io.Npy;

/**
 * How long the manifold layer's eigen-solve takes on one problem, over several solves in one JVM:
 * the {@code count} smallest pairs of S p = mu V p by {@link ShiftInvertLanczos#smallest} (the
 * layer's solver, which hands small problems and more than its pair limit to the dense path) and
 * by LAPACK's dense reduction ({@link Lapack#smallestGeneralizedEigen}), alternating, one untimed
 * solve of each first. S and V are the {@code S.npy} and {@code V.npy} that {@code CompareMain eigen
 * DIR ATOMS IMAGES} writes.
 *
 * <pre>
 *   java -Xmx4g -cp bench/target/benchmarks.jar org.glassbox.bench.EigenSolveTimes DIR REPS COUNT [COUNT ...]
 * </pre>
 *
 * prints, per count, the fastest and the median seconds of each solver. To compare two commits, run
 * it alternately from each one's bench jar.
 */
public final class EigenSolveTimes {
    private EigenSolveTimes() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int reps = Integer.parseInt(args[1]);
        double[] s = Npy.read(dir.resolve("S.npy")).data().asDouble();
        double[] v = Npy.read(dir.resolve("V.npy")).data().asDouble();
        int n = (int) Math.round(Math.sqrt(s.length));
        for (int i = 2; i < args.length; i++) {
            int count = Integer.parseInt(args[i]);
            ShiftInvertLanczos.smallest(s, v, n, count);
            Lapack.smallestGeneralizedEigen(s, v, n, count);
            double[] layer = new double[reps];
            double[] dense = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                ShiftInvertLanczos.smallest(s, v, n, count);
                long t1 = System.nanoTime();
                Lapack.smallestGeneralizedEigen(s, v, n, count);
                layer[r] = (t1 - t0) / 1e9;
                dense[r] = (System.nanoTime() - t1) / 1e9;
            }
            Arrays.sort(layer);
            Arrays.sort(dense);
            System.out.printf(Locale.ROOT, "n = %d, %d smallest pairs, %d solves each: the layer's solver fastest %.3f s,"
                    + " median %.3f s; dense fastest %.3f s, median %.3f s%n", n, count, reps, layer[0], layer[reps / 2],
                    dense[0], dense[reps / 2]);
        }
    }
}
