package org.glassbox.framework.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Writes a model's atoms, codes and readout weights as NumPy {@code .npy} files and its catalog as
 * JSON, for other tools (docs/inspection.md gives the layout and a Python example), into a folder
 * the caller provides (the command line's is a {@link org.glassbox.framework.io.RunFolder}, which
 * makes the export appear whole or not at all).
 *
 * <p>Layout, for each sparse-coding stage with atom prefix P and each readout R:
 * <ul>
 * <li>{@code atoms/P.dictionary.npy} float32 {@code [K, d]}: the dictionary, row k = atom P/ak;</li>
 * <li>{@code atoms/P.usage.npy} float32 {@code [K]}: training usage;</li>
 * <li>{@code atoms/P.images.npy} float32 {@code [K, h, w, C]}: the catalog's pixel-space images;</li>
 * <li>{@code codes/P.codes.npy} float32 {@code [n, K]}: each set item's codes summed over the grid;</li>
 * <li>{@code codes/features.npy} float32 {@code [n, gridH, gridW, channels]}: the pipeline output (readout input);</li>
 * <li>{@code codes/labels.npy} int32 {@code [n]}: the items' classes;</li>
 * <li>{@code readouts/R.<name>.npy}: every learned array of the readout (for the linear readout
 * {@code weights [classes, gridH * gridW * channels]} and {@code bias [classes]});</li>
 * <li>{@code catalog.json}: {@code {"classes": C, "channels": [...], "layers": [...]}}, the
 * {@link AtomCatalog} without its images, and the names of the feature channels.</li>
 * </ul>
 */
public final class Exports {
    private Exports() {
    }

    /**
     * Writes the export of the model of {@code pipeline} and {@code readouts} measured on {@code set}
     * into the folder {@code dir}, creating it if needed.
     */
    public static void write(Pipeline pipeline, List<? extends Layer> readouts, AtomCatalog catalog, ImageSet set, Path dir,
            Progress progress) {
        AtomIndex index = new AtomIndex(pipeline);
        List<Integer> sparse = index.sparseStages();
        int n = set.size();
        List<float[]> sums = new ArrayList<>();
        Map<String, float[]> byStage = new java.util.HashMap<>();
        for (int s : sparse) {
            sums.add(new float[n * index.atoms(s).atomCount()]);
            byStage.put(pipeline.stages().get(s).id(), sums.get(sums.size() - 1));
        }
        INDArray features = Nd4j.create(DataType.FLOAT, pipeline.outputShape().batchShape(n));
        try (Progress.Task task = progress.task("export codes", n)) {
            set.source().forEachBatch(pipeline.batchSize(), (batch, offset) -> {
                INDArray x = pipeline.transform(batch, (stage, input, codes) -> {
                    float[] sum = byStage.get(stage.id());
                    if (sum != null) sumOverGrid(codes, stage.outputShape().positions(), sum, (int) offset);
                });
                int b = (int) batch.size(0);
                features.get(NDArrayIndex.interval(offset, offset + b), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).assign(x);
                OffHeap.free(x, batch);
                task.step(b);
            });
        }
        try {
            Path tmp = Files.createDirectories(dir);
            Path atoms = Files.createDirectories(tmp.resolve("atoms"));
            Path codes = Files.createDirectories(tmp.resolve("codes"));
            Path readoutFolder = Files.createDirectories(tmp.resolve("readouts"));
            for (int t = 0; t < sparse.size(); t++) {
                HasAtoms a = index.atoms(sparse.get(t));
                String p = a.atomPrefix();
                Npy.write(a.dictionary(), atoms.resolve(p + ".dictionary.npy"));
                Npy.write(a.usage(), atoms.resolve(p + ".usage.npy"));
                Npy.write(catalog.images(p).castTo(DataType.FLOAT), atoms.resolve(p + ".images.npy"));
                Npy.write(Nd4j.create(sums.get(t), new long[] {n, a.atomCount()}, 'c'), codes.resolve(p + ".codes.npy"));
            }
            Npy.write(features, codes.resolve("features.npy"));
            Npy.write(Nd4j.createFromArray(set.labels()), codes.resolve("labels.npy"));
            for (Layer r : readouts) {
                for (Map.Entry<String, INDArray> e : r.parameters().entrySet()) {
                    Npy.write(e.getValue(), readoutFolder.resolve(Npy.arrayFile(r.id(), e.getKey())));
                }
            }
            writeCatalog(catalog, index, tmp.resolve("catalog.json"));
        } catch (IOException e) {
            throw new GlassboxException(dir + ": cannot write the export: " + e.getMessage(), e);
        }
    }

    /** Writes {@code catalog} as JSON ({@code classes}, {@code channels}, {@code layers}) to {@code file}. */
    public static void writeCatalog(AtomCatalog catalog, AtomIndex index, Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("classes", catalog.classes());
        json.put("channels", index.outputChannelNames());
        json.put("layers", catalog.layers());
        Json.MAPPER.writeValue(file.toFile(), json);
    }

    /** Adds each sample's codes, summed over its {@code positions} grid positions, to its row of {@code out} {@code [n, K]}. */
    private static void sumOverGrid(SparseRows codes, int positions, float[] out, int offset) {
        int k = codes.columns();
        for (int r = 0; r < codes.rows(); r++) {
            int base = (offset + r / positions) * k;
            for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) out[base + codes.index()[u]] += codes.value()[u];
        }
    }
}
