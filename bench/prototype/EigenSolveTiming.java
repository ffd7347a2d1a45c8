import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway timing of the manifold-embedding fit at K = 2,048 and 4,096 atoms (not a unit test).
 * Codes: 1-sparse maps [23, 23, K] of atoms laid out on a sqrt(K) x sqrt(K) torus, each map a
 * random smooth path over it, generated batch by batch (-Dmaps=N maps, default 2,000). Prints the wall and process CPU seconds of
 * the co-occurrence statistics and of the eigen-solve (S p = mu V p, 33 smallest eigenpairs).
 *
 * Run from the repository root after `mvn -o -q compile -pl layers -am`:
 *   mvn -o -q dependency:build-classpath -pl framework -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp "$(cat /tmp/cp.txt):framework/target/classes:layers/target/classes" bench/prototype/EigenSolveTiming.java 2048 4096
 */
public class EigenSolveTiming {
    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) {
        for (String arg : args) {
            int k = Integer.parseInt(arg);
            int side = (int) Math.round(Math.sqrt(k));
            int grid = 23;
            int maps = Integer.getInteger("maps", 2000);
            MapShape shape = new MapShape(grid, grid, k);
            MapSource source = new MapSource() {
                public MapShape shape() { return shape; }
                public long samples() { return maps; }
                public void forEachBatch(int batchSize, BatchVisitor visitor) {
                    SplittableRandom rng = new SplittableRandom(7);
                    for (int start = 0; start < maps; start += batchSize) {
                        int b = Math.min(batchSize, maps - start);
                        float[] v = new float[b * grid * grid * k];
                        for (int m = 0; m < b; m++) {
                            int u0 = rng.nextInt(side), v0 = rng.nextInt(side);
                            int du = rng.nextInt(3) - 1, dv = rng.nextInt(3) - 1;
                            for (int y = 0; y < grid; y++) for (int x = 0; x < grid; x++) {
                                int u = Math.floorMod(u0 + du * x + (rng.nextInt(5) == 0 ? 1 : 0), side);
                                int w = Math.floorMod(v0 + dv * y + x / 3, side);
                                v[((m * grid + y) * grid + x) * k + (u * side + w) % k] = 1;
                            }
                        }
                        visitor.visit(Nd4j.create(v, new long[] {b, grid, grid, k}, 'c'), start);
                    }
                }
            };
            double[] marks = new double[4];
            Progress progress = (name, total) -> new Progress.Task() {
                public void step(long units) { }
                public void close() { marks[0] = System.nanoTime() / 1e9; marks[1] = cpu(); }
            };
            double t0 = System.nanoTime() / 1e9, c0 = cpu();
            ManifoldLayer layer = ManifoldSpec.defaults().fit("L1.embed", source, new FitContext(1, progress));
            double t1 = System.nanoTime() / 1e9, c1 = cpu();
            System.out.printf("K=%d: statistics %.1f s wall (%.1f s cpu), eigen-solve %.1f s wall (%.1f s cpu), mu[0]=%.4g%n",
                    k, marks[0] - t0, marks[1] - c0, t1 - marks[0], c1 - marks[1], layer.mu().getDouble(0));
        }
    }
}
