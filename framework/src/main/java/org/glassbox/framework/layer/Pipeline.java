package org.glassbox.framework.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.ShiftedCopies;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.SafeName;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An immutable list of frozen layers, each reading the output of the one before, and optional
 * branches beside it. Fitting is greedy and layer-wise, in one place ({@link #fit}): stage i is
 * fitted on the frozen output of stages 0..i-1, streamed batch by batch from the training maps.
 *
 * <p>A branch is a chain of stages of its own that reads the pipeline's input (for example the
 * pixels averaged over windows, beside the codes of the main stages) or the output of one of the
 * stages (for example a first layer's embedded codes pooled, beside a second layer fitted on them;
 * {@link #branchReads}). Its output lies on the same grid as the last stage's, and the pipeline's
 * output is the last stage's channels followed by each branch's ({@link #join}): a readout reads
 * them as one map.
 */
public final class Pipeline {
    /** The most samples per batch when streaming data through the stages. */
    public static final int BATCH = 256;

    /**
     * The most values (4 bytes each) that one batch's widest map may hold: a stage with many
     * channels on a fine grid (4,096 codes at each of 23 x 23 positions is 2.2 million values a
     * sample) streams in fewer samples per batch ({@link #batchSize()}).
     */
    public static final long BATCH_VALUES = 1L << 24;

    private final MapShape inputShape;
    private final List<Layer> stages;
    private final List<Pipeline> branches;
    /** For each branch, how many of the stages come before it ({@link #branchReads}). */
    private final List<Integer> reads;

    /**
     * Wraps frozen stages; checks that each stage's input shape is the previous one's output shape.
     */
    public Pipeline(MapShape inputShape, List<Layer> stages) {
        this(inputShape, stages, List.of());
    }

    /** Wraps frozen stages and branches beside them that read the pipeline's input, as {@link #Pipeline(MapShape, List, List, List)}. */
    public Pipeline(MapShape inputShape, List<Layer> stages, List<Pipeline> branches) {
        this(inputShape, stages, branches, Collections.nCopies(branches.size(), 0));
    }

    /**
     * Wraps frozen stages and branches beside them; checks that each stage's input shape is the
     * previous one's output shape, and that each branch has stages and no branches of its own, reads
     * the output of the first {@code reads.get(b)} stages (the input when 0) and gives maps on the
     * grid of the last stage's output.
     */
    public Pipeline(MapShape inputShape, List<Layer> stages, List<Pipeline> branches, List<Integer> reads) {
        List<MapShape> shapes = new ArrayList<>(List.of(inputShape));
        for (Layer stage : stages) {
            MapShape expected = shapes.get(shapes.size() - 1);
            if (!stage.inputShape().equals(expected)) {
                throw new GlassboxException("stage " + stage.id() + ": expected input shape " + expected
                        + " but it was fitted for " + stage.inputShape());
            }
            shapes.add(stage.outputShape());
        }
        if (reads.size() != branches.size()) {
            throw new IllegalArgumentException(reads.size() + " read points for " + branches.size() + " branches");
        }
        for (int b = 0; b < branches.size(); b++) {
            Pipeline branch = branches.get(b);
            int r = reads.get(b);
            if (r < 0 || r > stages.size()) {
                throw new GlassboxException("a branch reads the output of " + r + " stages (expected 0 .. " + stages.size() + ")");
            }
            if (branch.stages.isEmpty() || !branch.branches.isEmpty() || !branch.inputShape.equals(shapes.get(r))) {
                throw new GlassboxException("a branch must be a chain of stages reading "
                        + (r == 0 ? "the input " : "the output of stage " + stages.get(r - 1).id() + " ") + shapes.get(r));
            }
            requireSameGrid(branch.stages.get(0).id(), branch.outputShape(), shapes.get(stages.size()));
        }
        this.inputShape = inputShape;
        this.stages = List.copyOf(stages);
        this.branches = List.copyOf(branches);
        this.reads = List.copyOf(reads);
    }

    /** Checks that the branch starting with stage {@code first} gives maps on the grid of {@code main}. */
    private static void requireSameGrid(String first, MapShape branch, MapShape main) {
        if (branch.gridH() != main.gridH() || branch.gridW() != main.gridW()) {
            throw new GlassboxException("the branch from stage " + first + " gives a " + branch.gridH() + " x "
                    + branch.gridW() + " grid but the stages give " + main.gridH() + " x " + main.gridW()
                    + " (expected the same grid, so that its channels join theirs)");
        }
    }

    /**
     * A branch to fit: its stages in order, the first reading the output of the stage with id
     * {@code from}, or the pipeline's input when {@code from} is null.
     */
    public record Branch(String from, List<Stage> stages) {
        public Branch {
            stages = List.copyOf(stages);
        }

        /** A branch whose first stage reads the pipeline's input. */
        public static Branch ofInput(List<Stage> stages) {
            return new Branch(null, stages);
        }

        /**
         * How many of {@code stages} come before this branch: 0 when it reads the input, else the
         * position of the stage {@code from} plus one.
         *
         * @throws GlassboxException when no stage has the id {@code from}
         */
        int reads(List<Stage> stages) {
            if (from == null) return 0;
            for (int s = 0; s < stages.size(); s++) {
                if (stages.get(s).id().equals(from)) return s + 1;
            }
            throw new GlassboxException("the branch from stage " + this.stages.get(0).id() + " reads \"" + from
                    + "\", which is not one of the stages (expected the id of the stage whose output it reads)");
        }
    }

    /**
     * A named stage (or readout) to fit: its id (such as {@code L1.code}) and its spec.
     *
     * @throws org.glassbox.framework.error.InvalidParameterException when the id is not a
     *     {@link SafeName}: it names the stage's array files
     */
    public record Stage(String id, LayerSpec spec) {
        public Stage {
            SafeName.check("id", id);
        }

        /** How messages name a stage of kind {@code kind}: {@code stage "L1.code" (sparse-coding)}. */
        public static String describe(String id, String kind) {
            return "stage \"" + id + "\" (" + kind + ")";
        }

        /** {@link LayerSpec#check} of the spec; a problem is reported as {@link #problem} of this stage. */
        public MapShape check(MapShape input, long samples) {
            return checkComponent(id, spec, input, samples);
        }

        /** An exception whose message is {@code e}'s prefixed with {@link #describe} of this stage; {@code e} is its cause. */
        public GlassboxException problem(GlassboxException e) {
            return problemOf(id, spec, e);
        }

        /**
         * {@link ComponentSpec#check} of the stage or readout {@code id}; a problem is reported as
         * {@link #problemOf} it.
         */
        static MapShape checkComponent(String id, ComponentSpec spec, MapShape input, long samples) {
            try {
                return spec.check(input, samples);
            } catch (GlassboxException e) {
                throw problemOf(id, spec, e);
            }
        }

        /** An exception whose message is {@code e}'s prefixed with {@link #describe} of the stage or readout {@code id}. */
        static GlassboxException problemOf(String id, ComponentSpec spec, GlassboxException e) {
            return new GlassboxException(describe(id, spec.kind()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code stages} before any of them is fitted on {@code samples} maps of shape
     * {@code input}: walks them in order, each spec checking itself against the output shape of the
     * stages before it ({@link Stage#check}), and returns the last output shape ({@code input} when
     * there are no stages).
     */
    public static MapShape check(MapShape input, long samples, List<Stage> stages) {
        MapShape shape = input;
        for (Stage stage : stages) {
            shape = stage.check(shape, samples);
        }
        return shape;
    }

    /**
     * As {@link #check(MapShape, long, List)}, and checks each branch (its stages from what it reads:
     * {@code input}, or the output of the stage it names) and that it gives the grid of the stages'
     * output; returns the joined shape: that grid with the stages' channels and every branch's.
     */
    public static MapShape check(MapShape input, long samples, List<Stage> stages, List<Branch> branches) {
        List<MapShape> shapes = new ArrayList<>(List.of(input));
        for (Stage stage : stages) shapes.add(stage.check(shapes.get(shapes.size() - 1), samples));
        MapShape main = shapes.get(stages.size());
        int channels = main.channels();
        for (Branch branch : branches) {
            if (branch.stages().isEmpty()) throw new GlassboxException("a branch has no stages (expected at least one)");
            MapShape shape = check(shapes.get(branch.reads(stages)), samples, branch.stages());
            requireSameGrid(branch.stages().get(0).id(), shape, main);
            channels += shape.channels();
        }
        return new MapShape(main.gridH(), main.gridW(), channels);
    }

    /**
     * Fits {@code stages} greedily on {@code train}: stage i sees the output of the frozen stages
     * before it. Every stage is {@linkplain #check checked} before the first is fitted.
     */
    public static Pipeline fit(MapSource train, List<Stage> stages, FitContext context) {
        return fit(train, stages, context, new FitHook() { });
    }

    /** Sees each stage as soon as it is fitted, with the seconds its fit took. */
    @FunctionalInterface
    public interface FitListener {
        void fitted(Layer layer, double seconds);
    }

    /** As {@link #fit(MapSource, List, FitContext)}, showing each fitted stage to {@code listener}. */
    public static Pipeline fit(MapSource train, List<Stage> stages, FitContext context, FitListener listener) {
        return fit(train, stages, List.of(), context, listener);
    }

    /** As {@link #fit(MapSource, List, List, FitContext, FitHook)}, showing each fitted stage to {@code listener}. */
    public static Pipeline fit(MapSource train, List<Stage> stages, List<Branch> branches, FitContext context,
            FitListener listener) {
        return fit(train, stages, branches, context, new FitHook() {
            @Override
            public void fitted(Pipeline fitted, double seconds) {
                listener.fitted(fitted.stages.get(fitted.stages.size() - 1), seconds);
            }
        });
    }

    /**
     * What a caller adds to the loop of {@link #fit(MapSource, List, FitContext, FitHook)}, stage by
     * stage. Every method has a default, so a hook overrides only what it needs: the image command
     * takes the stages a checkpoint holds ({@link #reuse}) and stores a checkpoint after each stage
     * ({@link #fitted}); the Spark fit fits a stage with passes on the cluster ({@link #fit}).
     */
    public interface FitHook {
        /**
         * A layer fitted earlier for {@code stage} (for example read from a checkpoint), taken as it
         * is instead of fitting the stage, or empty (the default) to fit it; {@code prefix} holds the
         * stages before it (for a branch's stage, the branch's stages before it). Asked for the
         * stages in order until it first answers empty: every later stage is fitted, since a layer
         * fitted earlier read the output of earlier layers, not of those fitted now.
         */
        default Optional<Layer> reuse(Stage stage, Pipeline prefix) {
            return Optional.empty();
        }

        /**
         * Fits {@code stage} on {@code train} as seen through {@code prefix}, the frozen stages
         * before it; by default {@code stage.spec().fit(stage.id(), prefix.over(train), context)}.
         */
        default Layer fit(Stage stage, Pipeline prefix, MapSource train, FitContext context) {
            return stage.spec().fit(stage.id(), prefix.over(train), context);
        }

        /**
         * Sees each stage that was fitted (not reused) as soon as it is: {@code fitted} holds the
         * stages so far, ending with it (for a branch's stage, the branch's stages so far), and
         * {@code seconds} is how long {@link #fit} took.
         */
        default void fitted(Pipeline fitted, double seconds) {
        }
    }

    /**
     * The one fit loop. Checks every stage ({@link #check}), then for each stage in order: takes the
     * layer {@code hook} {@linkplain FitHook#reuse reuses}, or has the hook
     * {@linkplain FitHook#fit fit} it on the output of the stages before it and shows it the result
     * ({@link FitHook#fitted}).
     *
     * @throws GlassboxException when a reused layer's id is not its stage's, or it reads another
     *     shape than the stages before it give (before the next stage is fitted)
     */
    public static Pipeline fit(MapSource train, List<Stage> stages, FitContext context, FitHook hook) {
        return fit(train, stages, List.of(), context, hook);
    }

    /**
     * As {@link #fit(MapSource, List, FitContext, FitHook)}, with branches beside the stages: after
     * the stages, each branch's stages are fitted the same way on {@code train} as seen through the
     * fitted stages before the branch. Every stage of the stages and the branches is
     * {@linkplain #check(MapShape, long, List, List) checked} first.
     */
    public static Pipeline fit(MapSource train, List<Stage> stages, List<Branch> branches, FitContext context,
            FitHook hook) {
        check(train.shape(), train.samples(), stages, branches);
        List<Layer> main = fitChain(train, stages, context, hook);
        List<Pipeline> fittedBranches = new ArrayList<>();
        List<Integer> reads = new ArrayList<>();
        for (Branch branch : branches) {
            int r = branch.reads(stages);
            MapSource source = r == 0 ? train : new Pipeline(train.shape(), main.subList(0, r)).over(train);
            fittedBranches.add(new Pipeline(source.shape(), fitChain(source, branch.stages(), context, hook)));
            reads.add(r);
        }
        return new Pipeline(train.shape(), main, fittedBranches, reads);
    }

    /** Fits (or reuses) each of {@code stages} in order, each on the output of those before it. */
    private static List<Layer> fitChain(MapSource train, List<Stage> stages, FitContext context, FitHook hook) {
        List<Layer> fitted = new ArrayList<>();
        boolean reusing = true;
        for (Stage stage : stages) {
            Pipeline prefix = new Pipeline(train.shape(), fitted);
            Optional<Layer> reused = reusing ? hook.reuse(stage, prefix) : Optional.empty();
            reusing = reused.isPresent();
            if (reused.isPresent()) {
                if (!reused.get().id().equals(stage.id())) {
                    throw new GlassboxException(Stage.describe(stage.id(), stage.spec().kind()) + ": the layer to reuse is \""
                            + reused.get().id() + "\" (expected a layer fitted for this stage)");
                }
                fitted.add(reused.get());
                continue;
            }
            long start = System.nanoTime();
            Layer layer = hook.fit(stage, prefix, train, context);
            double seconds = (System.nanoTime() - start) / 1e9;
            fitted.add(layer);
            hook.fitted(new Pipeline(train.shape(), fitted), seconds);
        }
        return fitted;
    }

    /** The shape of one input sample. */
    public MapShape inputShape() {
        return inputShape;
    }

    /**
     * The shape of one output sample: the last stage's output (the input shape when there are no
     * stages), with each branch's channels after its own ({@link #join}).
     */
    public MapShape outputShape() {
        MapShape main = stagesOutputShape();
        int channels = main.channels();
        for (Pipeline branch : branches) channels += branch.outputShape().channels();
        return new MapShape(main.gridH(), main.gridW(), channels);
    }

    /** The shape of the last stage's output alone (the input shape when there are no stages). */
    public MapShape stagesOutputShape() {
        return stages.isEmpty() ? inputShape : stages.get(stages.size() - 1).outputShape();
    }

    /**
     * The learned numbers of the stages and of {@code readout}: the elements of every array in their
     * {@link Layer#parameters()} (for a kNN readout, its stored training features and labels).
     */
    public long parameterCount(Layer readout) {
        long n = 0;
        for (Layer stage : allStages()) {
            for (INDArray a : stage.parameters().values()) n += a.length();
        }
        for (INDArray a : readout.parameters().values()) n += a.length();
        return n;
    }

    /**
     * The samples per batch when streaming data through these stages: {@link #BATCH}, or fewer so
     * that the widest map (the input or any stage's output, except codes that a {@link SparseOutput}
     * stage hands to a {@link SparseInput} stage as non-zeros) of a batch holds at most
     * {@link #BATCH_VALUES} values, and so do the branches' maps and the joined output; at least 1.
     */
    public int batchSize() {
        long widest = Math.max(inputShape.size(), outputShape().size());
        for (int s = 0; s < stages.size(); s++) {
            boolean handedOver = stages.get(s) instanceof SparseOutput && s + 1 < stages.size()
                    && stages.get(s + 1) instanceof SparseInput;
            if (!handedOver) widest = Math.max(widest, stages.get(s).outputShape().size());
        }
        int size = (int) Math.max(1, Math.min(BATCH, BATCH_VALUES / widest));
        for (Pipeline branch : branches) size = Math.min(size, branch.batchSize());
        return size;
    }

    /** The frozen stages in order (not those of the branches). */
    public List<Layer> stages() {
        return Collections.unmodifiableList(stages);
    }

    /**
     * The branches beside the stages, each a pipeline of its own reading this one's input or a
     * stage's output ({@link #branchReads}), in order.
     */
    public List<Pipeline> branches() {
        return branches;
    }

    /**
     * How many of the stages come before branch {@code b}: it reads the output of the first that
     * many stages, the pipeline's input when 0.
     */
    public int branchReads(int b) {
        return reads.get(b);
    }

    /** The stages, then each branch's stages. */
    public List<Layer> allStages() {
        List<Layer> all = new ArrayList<>(stages);
        for (Pipeline branch : branches) all.addAll(branch.stages);
        return Collections.unmodifiableList(all);
    }

    /** The stage with id {@code id} among the stages (not the branches'). */
    public Layer stage(String id) {
        for (Layer s : stages) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new GlassboxException("no stage named " + id + " in this pipeline");
    }

    /** The first {@code n} stages, without the branches: its output is stage {@code n - 1}'s. */
    public Pipeline prefix(int n) {
        return new Pipeline(inputShape, stages.subList(0, n));
    }

    /**
     * This pipeline with other stages in place of its own ({@code stages}, of the same shapes) and
     * the same branches, reading the same points.
     */
    public Pipeline withStages(List<Layer> stages) {
        return new Pipeline(inputShape, stages, branches, reads);
    }

    /**
     * Runs one batch {@code [n, inputShape]} through every stage. A {@link SparseOutput} stage
     * followed by a {@link SparseInput} stage hands over its non-zeros instead of its dense maps.
     * Each stage's output is freed as soon as the next stage has read it ({@link OffHeap#free}).
     */
    public INDArray transform(INDArray batch) {
        return transform(batch, null);
    }

    /** Sees the codes of every {@link SparseOutput} stage while a batch runs through the stages. */
    @FunctionalInterface
    public interface CodeListener {
        /**
         * The stage {@code stage} turned {@code input} {@code [n, stage.inputShape]} into
         * {@code codes}; {@code input} may be freed after the call, so a listener copies what it keeps.
         */
        void codes(SparseOutput stage, INDArray input, SparseRows codes);
    }

    /**
     * As {@link #transform(INDArray)}, and shows the codes of every {@link SparseOutput} stage to
     * {@code listener} (when not null) as they are made, the branches' too.
     */
    public INDArray transform(INDArray batch, CodeListener listener) {
        Shapes.requireMap("pipeline input", batch, inputShape);
        INDArray[] branchOutputs = new INDArray[branches.size()];
        INDArray main = run(0, batch, listener, branchOutputs);
        return joinOutputs(main, branchOutputs, batch);
    }

    /**
     * The pipeline's output from {@code stagesOutput} {@code [n, stagesOutputShape]}, what the
     * stages made of {@code input} {@code [n, inputShape]}: those maps when there are no branches
     * (the same array), else their channels followed by each branch's output, in a new array; a
     * branch that reads a stage's output reads it as the stages make it of {@code input}. Frees
     * neither argument.
     */
    public INDArray join(INDArray stagesOutput, INDArray input) {
        if (branches.isEmpty()) return stagesOutput;
        List<INDArray> read = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) read.add(reads.get(b) == 0 ? input : prefix(reads.get(b)).transform(input));
        INDArray joined = join(stagesOutput, read);
        OffHeap.freeAll(read, input, stagesOutput, joined);
        return joined;
    }

    /**
     * As {@link #join(INDArray, INDArray)}, with what each branch reads given: {@code branchInputs}
     * holds, for each branch b, the output of the first {@link #branchReads branchReads(b)} stages
     * (the input when 0), for the same samples as {@code stagesOutput}. Frees no argument.
     */
    public INDArray join(INDArray stagesOutput, List<INDArray> branchInputs) {
        if (branchInputs.size() != branches.size()) {
            throw new IllegalArgumentException(branchInputs.size() + " branch inputs for " + branches.size() + " branches");
        }
        INDArray[] branchOutputs = new INDArray[branches.size()];
        for (int b = 0; b < branches.size(); b++) branchOutputs[b] = branches.get(b).transform(branchInputs.get(b));
        List<INDArray> kept = new ArrayList<>(branchInputs);
        kept.add(stagesOutput);
        return joinOutputs(stagesOutput, branchOutputs, kept.toArray(new INDArray[0]));
    }

    /**
     * {@code main}, the stages' output, followed by the branches' outputs as more channels in a new
     * array (when there are branches), freeing the parts except those in {@code kept}.
     */
    private static INDArray joinOutputs(INDArray main, INDArray[] branchOutputs, INDArray... kept) {
        if (branchOutputs.length == 0) return main;
        INDArray[] parts = new INDArray[1 + branchOutputs.length];
        parts[0] = main;
        System.arraycopy(branchOutputs, 0, parts, 1, branchOutputs.length);
        INDArray joined = Nd4j.concat(3, parts);
        OffHeap.freeAll(Arrays.asList(parts), concat(joined, null, kept));
        return joined;
    }

    /**
     * Runs {@code input}, the output of the first {@code first} stages, through the stages after
     * them and returns the last stage's output; each branch that reads the output of {@code first}
     * or more stages runs on that output as soon as it is made, into {@code branchOutputs}. A
     * {@link SparseOutput} stage followed by a {@link SparseInput} stage hands over its non-zeros
     * (unless a branch reads its output). Frees what it makes except the outputs; never
     * {@code input}.
     */
    private INDArray run(int first, INDArray input, CodeListener listener, INDArray[] branchOutputs) {
        INDArray x = input;
        runBranches(first, x, listener, branchOutputs);
        for (int s = first; s < stages.size(); s++) {
            Layer stage = stages.get(s);
            SparseInput reader = s + 1 < stages.size() && stages.get(s + 1) instanceof SparseInput r
                    && !reads.contains(s + 1) ? r : null;
            INDArray next;
            if (stage instanceof SparseOutput coder && (reader != null || listener != null)) {
                SparseRows codes = coder.encodeSparse(x);
                if (listener != null) listener.codes(coder, x, codes);
                if (reader != null) {
                    next = reader.encodeSparse(codes);
                    s++;
                } else {
                    next = Maps.map(codes.dense(), stage.outputShape());
                }
            } else {
                next = stage.encode(x);
            }
            if (x != input) OffHeap.free(x, concat(next, input, branchOutputs));
            x = next;
            runBranches(s + 1, x, listener, branchOutputs);
        }
        return x;
    }

    /** Runs each branch that reads the output of the first {@code stagesBefore} stages on {@code x}. */
    private void runBranches(int stagesBefore, INDArray x, CodeListener listener, INDArray[] branchOutputs) {
        for (int b = 0; b < branches.size(); b++) {
            if (reads.get(b) == stagesBefore) branchOutputs[b] = branches.get(b).transform(x, listener);
        }
    }

    /** {@code a}, {@code b} and the arrays of {@code more}, in one array (for {@link OffHeap#free}). */
    private static INDArray[] concat(INDArray a, INDArray b, INDArray[] more) {
        INDArray[] all = new INDArray[2 + more.length];
        all[0] = a;
        all[1] = b;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    /** Streams every sample of {@code source} through the stages and returns all outputs, {@code [n, outputShape]}. */
    public INDArray transformAll(MapSource source) {
        return transformAll(source, Progress.silent(), "transform");
    }

    /** As {@link #transformAll(MapSource)}, reporting each batch to {@code progress} as the task {@code task}. */
    public INDArray transformAll(MapSource source, Progress progress, String task) {
        INDArray result = Nd4j.create(DataType.FLOAT, outputShape().batchShape(source.samples()));
        try (Progress.Task t = progress.task(task, source.samples())) {
            over(source).forEachBatch(batchSize(), (batch, offset) -> {
                result.get(NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all()).assign(batch);
                t.step(batch.size(0));
            });
        }
        return result;
    }

    /**
     * The outputs of the samples of {@code source} and of their shifted copies, in the order of
     * {@link ShiftedCopies#moves} ({@code [(1 + 4 shifts) n, outputShape]}: the n samples' outputs,
     * then those of the copies moved 1 position down, and so on), made without running the copies
     * through every stage. The leading stages that are {@linkplain Layer#translationEquivariant
     * translation-equivariant} run once per sample; their output maps are moved
     * ({@link ShiftedCopies#move}) and the later stages run on each moved map. A moved map's
     * vacated positions hold what those stages give a blank (all-zero) input there.
     *
     * <p>So a copy's output is the pipeline's output for the image moved by
     * {@link org.glassbox.framework.data.ImageSet#shifted} whenever every window that the move
     * brings in from the edge is blank in the moved image (for digits: when the image is blank within
     * window - 1 pixels of the edge it enters from); otherwise the strip that enters is the blank
     * image's. With no such leading stage the input images themselves are moved, which is exactly
     * {@code ImageSet#shifted}. The branches that read the input read the moved images themselves;
     * those that read a stage's output read what the stages make of the moved maps, and the leading
     * stages run once per sample only up to the first stage a branch reads. With no shifts this is
     * {@link #transformAll(MapSource, Progress, String)}.
     */
    public INDArray transformAllWithShiftedCopies(MapSource source, int shifts, Progress progress, String task) {
        List<int[]> moves = ShiftedCopies.moves(shifts);
        if (shifts == 0) return transformAll(source, progress, task);
        requireInput(source);
        int k = 0;
        while (k < stages.size() && stages.get(k).translationEquivariant()) k++;
        for (int r : reads) {
            if (r > 0) k = Math.min(k, r);
        }
        int shared = k;
        Pipeline head = prefix(k);
        MapShape moved = head.outputShape();
        INDArray blank = Nd4j.zeros(DataType.FLOAT, inputShape.batchShape(1));
        INDArray blankOut = head.transform(blank);
        float[] fill = FloatArrays.values(blankOut);
        OffHeap.free(blankOut, blank);
        float[] zeros = new float[(int) inputShape.size()];
        long n = source.samples();
        INDArray result = Nd4j.create(DataType.FLOAT, outputShape().batchShape(n * moves.size()));
        try (Progress.Task t = progress.task(task, n * moves.size())) {
            source.forEachBatch(Math.min(batchSize(), head.batchSize()), (images, offset) -> {
                INDArray maps = head.transform(images);
                float[] values = FloatArrays.values(maps);
                float[] pixels = branches.isEmpty() ? null : FloatArrays.values(images);
                long b = maps.size(0);
                for (int m = 0; m < moves.size(); m++) {
                    // the first move is (0, 0): the maps themselves
                    int dy = moves.get(m)[0];
                    int dx = moves.get(m)[1];
                    INDArray copy = m == 0 ? maps : FloatArrays.of(ShiftedCopies.move(values, moved, dy, dx, fill),
                            moved.batchShape(b));
                    INDArray image = m == 0 || pixels == null ? images
                            : FloatArrays.of(ShiftedCopies.move(pixels, inputShape, dy, dx, zeros), inputShape.batchShape(b));
                    INDArray[] branchOutputs = new INDArray[branches.size()];
                    for (int br = 0; br < branches.size(); br++) {
                        // with no shared stages, run reads the moved image as the copy
                        if (reads.get(br) == 0 && shared > 0) branchOutputs[br] = branches.get(br).transform(image);
                    }
                    INDArray out = joinOutputs(run(shared, copy, null, branchOutputs), branchOutputs, copy);
                    long first = m * n + offset;
                    result.get(NDArrayIndex.interval(first, first + b), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).assign(out);
                    OffHeap.freeAll(Arrays.asList(out, copy, image), images, maps);
                    t.step(b);
                }
                OffHeap.free(maps, images);
            });
        }
        return result;
    }

    private void requireInput(MapSource source) {
        if (!source.shape().equals(inputShape)) {
            throw new GlassboxException("pipeline input: expected samples of shape " + inputShape
                    + " but the data has " + source.shape());
        }
    }

    /**
     * A view of {@code source} as seen at the output of this pipeline, computed batch by batch; a
     * visit asks {@code source} for batches of at most {@link #batchSize()} samples.
     */
    public MapSource over(MapSource source) {
        requireInput(source);
        Pipeline self = this;
        return new MapSource() {
            @Override
            public MapShape shape() {
                return outputShape();
            }

            @Override
            public long samples() {
                return source.samples();
            }

            /** Frees each batch's output when the visitor is done with it ({@link OffHeap#free}). */
            @Override
            public void forEachBatch(int batchSize, BatchVisitor visitor) {
                source.forEachBatch(Math.min(batchSize, self.batchSize()), (batch, offset) -> {
                    INDArray out = self.transform(batch);
                    visitor.visit(out, offset);
                    OffHeap.free(out, batch);
                });
            }

            /**
             * The last stage's non-zeros straight from it when it is a {@link SparseOutput} and there
             * are no branches.
             */
            @Override
            public void forEachSparseBatch(int batchSize, SparseBatchVisitor visitor) {
                if (stages.isEmpty() || !branches.isEmpty()
                        || !(stages.get(stages.size() - 1) instanceof SparseOutput coder)) {
                    MapSource.super.forEachSparseBatch(batchSize, visitor);
                    return;
                }
                Pipeline head = prefix(stages.size() - 1);
                source.forEachBatch(Math.min(batchSize, self.batchSize()), (batch, offset) -> {
                    INDArray in = head.transform(batch);
                    visitor.visit(coder.encodeSparse(in), (int) batch.size(0), offset);
                    OffHeap.free(in, batch);
                });
            }

            /** Runs only the chosen samples through the stages. */
            @Override
            public MapSource select(int[] indices) {
                return over(source.select(indices));
            }
        };
    }
}
