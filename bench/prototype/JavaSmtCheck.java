import java.nio.file.Path;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.io.Npy;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.readout.KnnReadout;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.readout.LinearSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway check that the Java manifold layer and readouts reproduce the numpy prototype
 * (smt_sweep.py) on the same 1-sparse codes: reads codes-{train,test}.npy ([n, 23 * 23] atom index
 * per position, -1 for none, exported from the prototype's cache) and labels-*.npy, builds one-hot
 * maps [n, 23, 23, 1024], fits ManifoldSpec.defaults(), average-pools the embedding to 4 x 4 with L2
 * normalisation, and fits both readouts. Not part of the build.
 *
 *   java -cp "$(cat /tmp/cp.txt):framework/target/classes:layers/target/classes" bench/prototype/JavaSmtCheck.java DIR
 */
public class JavaSmtCheck {
    static final int G = 23, K = 1024, POOL = 4;

    static MapSource source(int[] codes, int n) {
        MapShape shape = new MapShape(G, G, K);
        return new MapSource() {
            public MapShape shape() { return shape; }
            public long samples() { return n; }
            public void forEachBatch(int batchSize, BatchVisitor visitor) {
                for (int start = 0; start < n; start += batchSize) {
                    int b = Math.min(batchSize, n - start);
                    float[] v = new float[b * G * G * K];
                    for (int i = 0; i < b * G * G; i++) {
                        int atom = codes[start * G * G + i];
                        if (atom >= 0) v[i * K + atom] = 1;
                    }
                    visitor.visit(Nd4j.create(v, new long[] {b, G, G, K}, 'c'), start);
                }
            }
        };
    }

    /** Average pooling of [n, 23, 23, f] to [n, 4, 4, f] over cells split at round(23 i / 4), then L2 per sample. */
    static INDArray pool(INDArray beta) {
        int n = (int) beta.size(0), f = (int) beta.size(3);
        float[] b = beta.dup('c').data().asFloat();
        float[] out = new float[n * POOL * POOL * f];
        int[] edges = new int[POOL + 1];
        for (int i = 0; i <= POOL; i++) edges[i] = (int) Math.round((double) G * i / POOL);
        for (int s = 0; s < n; s++) {
            for (int py = 0; py < POOL; py++) for (int px = 0; px < POOL; px++) {
                int cells = (edges[py + 1] - edges[py]) * (edges[px + 1] - edges[px]);
                for (int y = edges[py]; y < edges[py + 1]; y++) for (int x = edges[px]; x < edges[px + 1]; x++)
                    for (int c = 0; c < f; c++)
                        out[((s * POOL + py) * POOL + px) * f + c] += b[((s * G + y) * G + x) * f + c] / cells;
            }
            double norm = 0;
            for (int i = 0; i < POOL * POOL * f; i++) norm += out[s * POOL * POOL * f + i] * out[s * POOL * POOL * f + i];
            for (int i = 0; i < POOL * POOL * f; i++) out[s * POOL * POOL * f + i] /= (float) Math.sqrt(norm);
        }
        return Nd4j.create(out, new long[] {n, POOL, POOL, f}, 'c');
    }

    static INDArray features(ManifoldLayer layer, MapSource src) {
        int n = (int) src.samples();
        INDArray all = Nd4j.create(DataType.FLOAT, n, POOL, POOL, layer.spec().dims());
        float[][] parts = new float[(n + 63) / 64][];
        src.forEachBatch(64, (batch, offset) -> parts[(int) offset / 64] = pool(layer.encode(batch)).data().asFloat());
        float[] flat = new float[n * POOL * POOL * layer.spec().dims()];
        int at = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, flat, at, p.length); at += p.length; }
        return Nd4j.create(flat, all.shape(), 'c');
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int[] trainCodes = Npy.read(dir.resolve("codes-train.npy")).reshape(-1).toIntVector();
        int[] testCodes = Npy.read(dir.resolve("codes-test.npy")).reshape(-1).toIntVector();
        int[] trainLabels = Npy.read(dir.resolve("labels-train.npy")).toIntVector();
        int[] testLabels = Npy.read(dir.resolve("labels-test.npy")).toIntVector();
        MapSource train = source(trainCodes, trainLabels.length);
        MapSource test = source(testCodes, testLabels.length);
        long t0 = System.nanoTime();
        ManifoldLayer layer = ManifoldSpec.defaults().fit("L1.embed", train, FitContext.silent(1));
        long t1 = System.nanoTime();
        INDArray ftr = features(layer, train);
        INDArray fte = features(layer, test);
        long t2 = System.nanoTime();
        KnnReadout knn = KnnSpec.defaults(10).fit("knn", MapSource.of(ftr), trainLabels, FitContext.silent(1));
        double knnAcc = ConfusionMatrix.accuracy(testLabels, knn.predict(fte), 10);
        long t3 = System.nanoTime();
        System.out.printf("manifold fit %.1f s, features %.1f s, knn %.4f (%.1f s)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                knnAcc, (t3 - t2) / 1e9);
        for (double l2 : new double[] {1e-5, 2e-6}) {
            long t4 = System.nanoTime();
            LinearReadout lin = LinearSpec.defaults(10).withL2(l2).withMaxIterations(2000)
                    .fit("linear", MapSource.of(ftr), trainLabels, FitContext.silent(1));
            System.out.printf("linear l2=%g: %.4f (%.1f s)%n", l2, ConfusionMatrix.accuracy(testLabels, lin.predict(fte), 10),
                    (System.nanoTime() - t4) / 1e9);
        }
    }
}
