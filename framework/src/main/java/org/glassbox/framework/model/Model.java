package org.glassbox.framework.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.ShiftedCopies;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.glassbox.framework.layer.FileMapSource;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.layer.ReadoutSpec;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fitted model: the frozen pipeline, the readouts that classify its output (each a
 * {@link Readout} whose input shape is the pipeline's output shape), where it came from, and
 * free-form descriptive fields (for example the class names). {@link #fit} makes one from a
 * {@link StackDescription} and images; {@link #save} and {@link #load} keep it in a model folder
 * (docs/model-format.md); {@link #scores} and {@link #predict} apply it to new images, batch by batch.
 */
public record Model(Provenance provenance, Pipeline pipeline, List<Readout> readouts, Map<String, String> info) {
    /** The info key holding the number of classes. */
    public static final String CLASSES = "classes";

    /**
     * @throws GlassboxException when a readout was fitted for another input shape than the
     *     pipeline's output
     */
    public Model {
        readouts = List.copyOf(readouts);
        info = Map.copyOf(info);
        for (Readout r : readouts) {
            if (!r.inputShape().equals(pipeline.outputShape())) {
                throw new GlassboxException("readout " + r.id() + ": expected input shape "
                        + pipeline.outputShape() + " but it was fitted for " + r.inputShape());
            }
        }
    }

    /** Sees each step of {@link #fit} when it is done: a stage's or readout's id, or {@code "train features"}. */
    @FunctionalInterface
    public interface FitSteps {
        /** The step {@code step} took {@code seconds}. */
        void done(String step, double seconds);
    }

    /** The step of {@link #fit} that computes the pipeline's output over the readouts' training images. */
    public static final String TRAIN_FEATURES = "train features";

    /** Bytes of features per chunk file of {@link #fit} with a feature folder. */
    private static final long CHUNK_BYTES = 256L << 20;

    /**
     * Fits {@code stack} on {@code train}: the pipeline's stages greedily ({@link Pipeline#fit}), then
     * every readout on the pipeline's output over the same images and their labels.
     */
    public static Model fit(StackDescription stack, ImageSet train, FitContext context) {
        return fit(stack, train, 0, context, (step, seconds) -> { });
    }

    /**
     * Fits {@code stack}: the pipeline's stages on {@code train}, the readouts on the pipeline's
     * output over {@code train} and its copies shifted by 1 to {@code shifts} positions
     * ({@link Pipeline#transformAllWithShiftedCopies}), with their labels. The whole stack is
     * {@linkplain StackDescription#check checked} against the data before anything is fitted;
     * {@code steps} sees each stage, the feature pass and each readout as it is done.
     */
    public static Model fit(StackDescription stack, ImageSet train, int shifts, FitContext context, FitSteps steps) {
        return fit(stack, train, shifts, context, steps, null);
    }

    /**
     * As {@link #fit(StackDescription, ImageSet, int, FitContext, FitSteps)}; with a
     * {@code featureFolder} (and no shifted copies), the readouts' training features are not held in
     * memory but written to chunk files in that new folder ({@link FileMapSource}), which the readouts
     * read back chunk by chunk, and deleted once the readouts are fitted: for training features that
     * do not fit in memory.
     */
    public static Model fit(StackDescription stack, ImageSet train, int shifts, FitContext context, FitSteps steps,
            Path featureFolder) {
        if (featureFolder != null && shifts != 0) {
            throw new IllegalArgumentException("training features in chunk files are for fits without shifted copies");
        }
        int[] labels = ShiftedCopies.labels(train.labels(), shifts);
        stack.check(train.name(), train.shape(), train.size(), labels.length, train.classes());
        Pipeline pipeline = Pipeline.fit(train.source(), stack.stages(), stack.branches(), context,
                (layer, seconds) -> steps.done(layer.id(), seconds));
        // The stages' fits leave their working arrays to the collector (a manifold fit's K x K
        // statistics are 0.5 GB of heap at K = 4,096). A full collection now gives that heap back
        // (under the launcher's collector) before the training features take their memory.
        System.gc();
        long start = System.nanoTime();
        List<Readout> readouts;
        if (featureFolder == null) {
            INDArray trainFeatures = pipeline.transformAllWithShiftedCopies(train.source(), shifts, context.progress(),
                    TRAIN_FEATURES);
            steps.done(TRAIN_FEATURES, (System.nanoTime() - start) / 1e9);
            readouts = fitReadouts(stack, MapSource.of(trainFeatures), labels, train.size(), context, steps);
            // a readout copies what it keeps of its batches (MapSource#forEachBatch)
            OffHeap.free(trainFeatures);
        } else {
            try (FileMapSource files = writeFeatures(pipeline, train, featureFolder, context)) {
                steps.done(TRAIN_FEATURES, (System.nanoTime() - start) / 1e9);
                readouts = fitReadouts(stack, files, labels, train.size(), context, steps);
            }
        }
        Provenance provenance = Provenance.now(context.seed(), train.name(), train.fingerprint(), train.size());
        return new Model(provenance, pipeline, readouts, Map.of(CLASSES, String.valueOf(train.classes())));
    }

    /** The pipeline's output over {@code train}, written to chunk files of at most {@link #CHUNK_BYTES} in {@code folder}. */
    private static FileMapSource writeFeatures(Pipeline pipeline, ImageSet train, Path folder, FitContext context) {
        MapSource outputs = pipeline.over(train.source());
        int chunk = (int) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_BYTES / (Float.BYTES * outputs.shape().size())));
        try (Progress.Task task = context.progress().task(TRAIN_FEATURES + " to chunk files", train.size())) {
            return FileMapSource.write(folder, outputs, chunk, pipeline.batchSize(), task::step);
        }
    }

    /**
     * Fits every readout of {@code stack}, in order, on the pipeline's output {@code features} and
     * their {@code labels}, of which the first {@code originals} are the training images' and the
     * rest their shifted copies'; a readout that {@linkplain ReadoutSpec#keepsTrainingFeatures keeps
     * its training features} is fitted on the first {@code originals} alone. {@code steps} sees each
     * readout as it is done.
     */
    public static List<Readout> fitReadouts(StackDescription stack, MapSource features, int[] labels, int originals,
            FitContext context, FitSteps steps) {
        List<Readout> readouts = new ArrayList<>();
        for (StackDescription.ReadoutStage r : stack.readouts()) {
            long start = System.nanoTime();
            boolean alone = r.spec().keepsTrainingFeatures() && originals < labels.length;
            readouts.add(alone ? r.spec().fit(r.id(), features.first(originals), Arrays.copyOf(labels, originals), context)
                    : r.spec().fit(r.id(), features, labels, context));
            steps.done(r.id(), (System.nanoTime() - start) / 1e9);
        }
        return readouts;
    }

    /** Reads the model in the folder {@code dir} ({@link ModelFile#read}). */
    public static Model load(Path dir) {
        return ModelFile.read(dir);
    }

    /** Writes this model to the folder {@code dir}, replacing what is there only once complete ({@link ModelFile#write}). */
    public void save(Path dir) {
        ModelFile.write(this, dir);
    }

    /** This model with {@code key} set to {@code value} in its {@link #info()}. */
    public Model withInfo(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(info);
        more.put(key, value);
        return new Model(provenance, pipeline, readouts, more);
    }

    /**
     * The default readout: the first one the stack lists.
     *
     * @throws GlassboxException when the model has no readout (a checkpoint of its stages)
     */
    public Readout readout() {
        if (readouts.isEmpty()) throw new GlassboxException("the model has no readout (only its pipeline's stages)");
        return readouts.get(0);
    }

    /** The readout named {@code id}. */
    public Readout readout(String id) {
        return readouts.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new GlassboxException("the model has no readout named " + id + " (it has "
                        + readouts.stream().map(Readout::id).toList() + ")"));
    }

    /** The class scores of the default readout for every image of {@code images}, {@code [n, classes]}. */
    public INDArray scores(MapSource images) {
        return scores(images, readout());
    }

    /**
     * The class scores of {@code readout} for every image of {@code images}, {@code [n, classes]},
     * computed batch by batch ({@link Pipeline#over}).
     *
     * @throws GlassboxException when the images' shape is not the pipeline's input shape
     */
    public INDArray scores(MapSource images, Readout readout) {
        INDArray scores = Nd4j.create(DataType.FLOAT, images.samples(), readout.classes());
        pipeline.over(images).forEachBatch(Pipeline.BATCH, (features, offset) -> {
            INDArray batchScores = readout.encode(features);
            scores.get(NDArrayIndex.interval(offset, offset + features.size(0)), NDArrayIndex.all())
                    .assign(batchScores.reshape(features.size(0), readout.classes()));
            OffHeap.free(batchScores, features);
        });
        return scores;
    }

    /** The class scores of the default readout for images {@code [n, H, W, C]} of the pipeline's input shape. */
    public INDArray scores(INDArray images) {
        return scores(images, readout());
    }

    /**
     * The class scores of {@code readout} for images {@code [n, H, W, C]} of the pipeline's input
     * shape, {@code [n, classes]}, in one pass (a batch; {@link #scores(MapSource, Readout)} streams).
     */
    public INDArray scores(INDArray images, Readout readout) {
        Shapes.requireMap("images", images, pipeline.inputShape());
        INDArray s = readout.encode(pipeline.transform(images));
        return s.reshape('c', s.size(0), readout.classes());
    }

    /** The class of highest score of the default readout for every image of {@code images} (lowest class among ties). */
    public int[] predict(MapSource images) {
        return Predictions.argmax(scores(images));
    }

    /** The class of highest score of the default readout for images {@code [n, H, W, C]}. */
    public int[] predict(INDArray images) {
        return Predictions.argmax(scores(images));
    }

    /**
     * The readout that explanations and ablations go through: the first readout whose scores
     * decompose into per-channel contributions ({@link ScoreDecomposition}, the linear readout).
     *
     * @throws GlassboxException when no readout does
     */
    public Readout linearReadout() {
        for (Readout r : readouts) {
            if (r instanceof ScoreDecomposition) return r;
        }
        List<String> ids = readouts.stream().map(Readout::id).toList();
        throw new GlassboxException("the model has no readout whose scores decompose into atom contributions "
                + "(expected a linear readout; readouts: " + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")");
    }

    /**
     * Why the model classifies item {@code index} of {@code set} as it does, through its
     * {@link #linearReadout()}: every atom's exact contribution to every class score (they and the
     * bias sum to the score), and what each sparse-coding stage did with the image (docs/inspection.md).
     */
    public Explanation explain(ImageSet set, int index) {
        return Explainer.explain(pipeline, linearReadout(), set, index);
    }

    /** {@link #explain(ImageSet, int)} of one unlabelled image {@code [H, W, C]} or {@code [1, H, W, C]} (label -1, index 0). */
    public Explanation explain(INDArray image) {
        INDArray one = image.rank() == 3 ? image.reshape(1, image.size(0), image.size(1), image.size(2)) : image;
        return Explainer.explain(pipeline, linearReadout(), one, 0, -1);
    }

    /**
     * The accuracy of the {@link #linearReadout()} on {@code set}, overall and per class, before and
     * after switching off the atoms {@code atomIds} (such as {@code L1/a17}): their codes set to zero
     * wherever they fire.
     */
    public Ablation.Result ablate(ImageSet set, Collection<String> atomIds) {
        return Ablation.run(pipeline, linearReadout(), set, atomIds, Progress.silent());
    }

    /** The atoms of the sparse-coding stage {@code stageId}: their dictionary, ids and training usage. */
    public HasAtoms atoms(String stageId) {
        if (!(pipeline.stage(stageId) instanceof HasAtoms atoms)) {
            throw new GlassboxException("stage " + stageId + " has no atoms (stages with atoms: "
                    + pipeline.stages().stream().filter(l -> l instanceof HasAtoms).map(Layer::id).toList() + ")");
        }
        return atoms;
    }

    /**
     * The atoms of the sparse-coding stage {@code stageId} drawn in the pixel space of the input,
     * {@code [atoms, h, w, C]}: a first-layer atom unwhitened and folded back into its patch, a deeper
     * one composed from the atoms below it ({@link Anatomy}).
     *
     * @throws GlassboxException when the stages below cannot be mapped back to pixels
     */
    public INDArray atomImages(String stageId) {
        atoms(stageId);
        int stage = pipeline.stages().indexOf(pipeline.stage(stageId));
        return Anatomy.of(pipeline).atomImages(stage).orElseThrow(() -> new GlassboxException("the atoms of stage "
                + stageId + " cannot be drawn in pixels (no chain of stages maps them back to the input)"));
    }

    /**
     * This model with its first sparse-coding stage remembering its codes of up to {@code budgetBytes}
     * of inputs ({@link MemoizedAtoms}), for work that encodes the same images more than once.
     */
    public Model withMemoizedCodes(long budgetBytes) {
        return new Model(provenance, MemoizedAtoms.firstSparseStage(pipeline, budgetBytes), readouts, info);
    }

    /** The fraction of {@code set}'s images whose class the default readout predicts. */
    public double accuracy(ImageSet set) {
        return accuracy(set, readout());
    }

    /** The fraction of {@code set}'s images whose class {@code readout} predicts. */
    public double accuracy(ImageSet set, Readout readout) {
        return ConfusionMatrix.accuracy(set.labels(), Predictions.argmax(scores(set.source(), readout)), set.classes());
    }
}
