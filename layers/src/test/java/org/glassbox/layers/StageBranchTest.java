package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.AtomAttribution;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.inspect.Report;
import org.glassbox.layers.pool.PoolingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A pipeline with branches that read a stage's output rather than the input: the small
 * sparse-manifold stack (2 x 2 grid, 8 embedding dimensions), and beside it layer 1's embedded
 * maps pooled again, as the mean and the maximum of each quarter (16 channels) and as the mean
 * alone (8 channels, whose names would repeat the stages').
 */
class StageBranchTest {
    /** The stages up to and including {@code L1.embed}. */
    private static final int EMBEDDED = 4;

    private static ImageSet train;
    private static ImageSet test;
    private static Pipeline joined;
    private static Model model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fit() {
        TrainTest split = EmbeddedMnist.split();
        train = SmallSmtStack.spread(split.train(), 300);
        test = SmallSmtStack.spread(split.test(), 60);
        List<Pipeline.Branch> branches = List.of(
                new Pipeline.Branch("L1.embed", List.of(new Pipeline.Stage("M.pool",
                        PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE_AND_MAX, 2, 2)))),
                new Pipeline.Branch("L1.embed", List.of(new Pipeline.Stage("A.pool",
                        PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2).withNormalize(false)))));
        model = SmallSmtStack.withBranches(train, branches);
        joined = model.pipeline();
    }

    /** What the branches read: layer 1's embedded maps of {@code images}. */
    private static INDArray embedded(MapSource images) {
        return joined.prefix(EMBEDDED).transformAll(images);
    }

    @Test
    void eachBranchPoolsTheEmbeddedMapsOfTheStagesItReads() {
        assertEquals(List.of(EMBEDDED, EMBEDDED), List.of(joined.branchReads(0), joined.branchReads(1)));
        assertEquals(8 + 16 + 8, joined.outputShape().channels());
        INDArray out = joined.transformAll(test.source());
        INDArray maps = embedded(test.source());
        assertArrayEquals(FloatArrays.values(new Pipeline(joined.inputShape(), joined.stages()).transformAll(test.source())),
                SmallSmtStack.channels(out, 0, 8));
        assertArrayEquals(FloatArrays.values(joined.branches().get(0).transformAll(MapSource.of(maps))), SmallSmtStack.channels(out, 8, 24));
        assertArrayEquals(FloatArrays.values(joined.branches().get(1).transformAll(MapSource.of(maps))), SmallSmtStack.channels(out, 24, 32));
        // the second branch is the unnormalised mean of each quarter of the 23 x 23 embedded map (rows and columns 0 .. 11)
        double sum = 0;
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) sum += maps.getFloat(0, y, x, 3);
        }
        assertEquals(sum / 144, out.getFloat(0, 0, 0, 24 + 3), 1e-5);
    }

    @Test
    void aBranchsChannelsAreNamedAfterTheStageItReadsUnlessTheNamesAreTaken() {
        List<String> names = new AtomIndex(joined).outputChannelNames();
        assertEquals(32, names.size());
        assertEquals("L1.embed/c0", names.get(0));
        assertEquals("mean(L1.embed/c0)", names.get(8));
        assertEquals("max(L1.embed/c7)", names.get(23));
        // the mean alone would be named L1.embed/c0 .. c7, as the stages' own channels are
        assertEquals("A.pool/c0", names.get(24));
        assertEquals(32, names.stream().distinct().count());
    }

    @Test
    void aBranchReadingAStageThatIsNotThereIsRefusedBeforeAnythingIsFitted() {
        var branch = new Pipeline.Branch("L1.nope", List.of(new Pipeline.Stage("M.pool",
                PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))));
        var e = assertThrows(GlassboxException.class, () -> Pipeline.check(train.shape(), train.size(),
                SmallSmtStack.stages(64, 8, 200), List.of(branch)));
        assertEquals("the branch from stage M.pool reads \"L1.nope\", which is not one of the stages (expected the id of "
                + "the stage whose output it reads)", e.getMessage());
        var built = assertThrows(GlassboxException.class, () -> new Pipeline(joined.inputShape(), joined.stages(),
                joined.branches(), List.of(EMBEDDED, EMBEDDED - 1)));
        assertEquals("a branch must be a chain of stages reading the output of stage L1.code [23, 23, 64]", built.getMessage());
    }

    @Test
    void aShiftedCopysBranchChannelsPoolTheMovedEmbeddedMaps() {
        int n = test.size();
        INDArray copies = joined.transformAllWithShiftedCopies(test.source(), 1, Progress.silent(), "t");
        assertEquals(5L * n, copies.size(0));
        INDArray stagesAlone = new Pipeline(joined.inputShape(), joined.stages())
                .transformAllWithShiftedCopies(test.source(), 1, Progress.silent(), "t");
        assertArrayEquals(FloatArrays.values(stagesAlone), SmallSmtStack.channels(copies, 0, 8));
        INDArray moved = joined.prefix(EMBEDDED).transformAllWithShiftedCopies(test.source(), 1, Progress.silent(), "t");
        assertArrayEquals(FloatArrays.values(joined.branches().get(0).transformAll(MapSource.of(moved))),
                SmallSmtStack.channels(copies, 8, 24));
        // a copy moved one position differs from the image's own maps
        assertTrue(!java.util.Arrays.equals(SmallSmtStack.channels(copies.get(NDArrayIndex.interval(0, n)), 8, 24),
                SmallSmtStack.channels(copies.get(NDArrayIndex.interval(n, 2 * n)), 8, 24)));
    }

    @Test
    void theBranchesSharesGoToTheAtomsTheyPoolAndStillAddUpToTheScores() {
        // both branches pool layer 1's embedding, so their channels' shares go back to layer 1's atoms
        Explanation e = model.explain(test, 5);
        List<String> names = e.contributions().stream().map(Explanation.Contribution::atom).toList();
        assertEquals(AtomAttribution.atomIds(joined, 2), names);
        assertEquals(OptionalInt.of(2), AtomAttribution.branchStage(joined, 1));
        assertEquals(32, e.channels().size());
        for (List<Explanation.Contribution> view : List.of(e.contributions(), e.channels())) {
            for (int c = 0; c < 10; c++) {
                double sum = e.bias()[c];
                for (Explanation.Contribution k : view) sum += k.value()[c];
                assertEquals(e.scores()[c], sum, 1e-4, "class " + c);
            }
        }
    }

    @Test
    void theReportDrawsNoWeightMapsForChannelsThatComeFromAtoms() throws IOException {
        String page = Files.readString(Report.write(model, test, tmp, Progress.silent()));
        assertTrue(page.contains("L1/a"), "the atoms are on the page");
        assertTrue(!page.contains("<h3>linear on "), "no branch channel's section: both branches pool layer 1's embedding");
    }

    /** The ids of layer 1's first 32 atoms, those the ablation tests switch off. */
    private static List<String> firstHalf() {
        List<String> atoms = new ArrayList<>();
        for (int k = 0; k < 32; k++) atoms.add("L1/a" + k);
        return atoms;
    }

    /** Layer 1's codes of the test images through {@code p}, with the first 32 atoms' channels zeroed. */
    private static INDArray codesWithoutFirstHalf(Pipeline p) {
        float[] keep = new float[64];
        for (int k = 32; k < 64; k++) keep[k] = 1;
        return p.prefix(3).transformAll(test.source()).mul(Nd4j.create(keep, new long[] {1, 1, 1, 64}, DataType.FLOAT));
    }

    /** The share of the test images that {@code m}'s linear readout classifies right from {@code features}. */
    private static double accuracy(Model m, INDArray features) {
        int[] predicted = Predictions.argmax(m.linearReadout().encode(features));
        int right = 0;
        for (int i = 0; i < test.size(); i++) right += predicted[i] == test.labels()[i] ? 1 : 0;
        return (double) right / test.size();
    }

    @Test
    void switchedOffAtomsAreMissingFromTheBranchesToo() {
        double after = model.ablate(test, firstHalf()).after().overall();
        // by hand: layer 1's codes with those atoms zeroed, then the embedding, the pooling and both branches
        List<Layer> stages = joined.stages();
        INDArray embeddedMaps = stages.get(3).encode(codesWithoutFirstHalf(joined));
        INDArray features = Nd4j.concat(3, stages.get(4).encode(embeddedMaps), joined.branches().get(0).transform(embeddedMaps),
                joined.branches().get(1).transform(embeddedMaps));
        int[] predicted = Predictions.argmax(model.linearReadout().encode(features));
        assertEquals(accuracy(model, features), after, 1e-12);
        // the branches alone, unablated, would predict otherwise
        INDArray unablatedBranches = Nd4j.concat(3, stages.get(4).encode(embeddedMaps),
                joined.branches().get(0).transform(embedded(test.source())),
                joined.branches().get(1).transform(embedded(test.source())));
        assertTrue(!java.util.Arrays.equals(predicted, Predictions.argmax(model.linearReadout().encode(unablatedBranches))));
    }

    @Test
    void aBranchReadingAStageBeforeTheSwitchedOffAtomsReadsItUnchanged() {
        // the whitened patches pooled beside the stages: switching off layer 1's atoms leaves them as they are
        Model whitened = SmallSmtStack.withBranches(train, List.of(new Pipeline.Branch("L1.whiten",
                List.of(new Pipeline.Stage("W.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))))));
        Pipeline p = whitened.pipeline();
        assertEquals(2, p.branchReads(0));
        double after = whitened.ablate(test, firstHalf()).after().overall();
        INDArray main = p.stages().get(4).encode(p.stages().get(3).encode(codesWithoutFirstHalf(p)));
        INDArray features = Nd4j.concat(3, main, p.branches().get(0).transform(p.prefix(2).transformAll(test.source())));
        assertEquals(accuracy(whitened, features), after, 1e-12);
    }

    @Test
    void aModelWhoseBranchesReadAStageIsWrittenAsVersion3AndReadBackTheSame() throws IOException {
        Path dir = tmp.resolve("model");
        model.save(dir);
        Path manifestFile = dir.resolve(ModelFile.MANIFEST);
        String manifest = Files.readString(manifestFile);
        assertTrue(manifest.contains("\"formatVersion\" : 3"), manifest);
        assertTrue(manifest.contains("\"branchReads\" : [ 4, 4 ]"), manifest);
        Model back = Model.load(dir);
        assertEquals(EMBEDDED, back.pipeline().branchReads(1));
        assertArrayEquals(FloatArrays.values(model.scores(test.source())), FloatArrays.values(back.scores(test.source())));

        Files.writeString(manifestFile, manifest.replace("\"formatVersion\" : 3", "\"formatVersion\" : 2"));
        assertEquals(manifestFile + ": field 'branchReads' at $ needs model format version 3 (the manifest says 2)",
                assertThrows(GlassboxException.class, () -> Model.load(dir)).getMessage());
        Files.writeString(manifestFile, manifest.replace("\"branchReads\" : [ 4, 4 ]", "\"branchReads\" : [ 4, 9 ]"));
        assertEquals(manifestFile + ": $.branchReads[1] is 9 (expected 0 to 5, the number of stages it reads the output of)",
                assertThrows(GlassboxException.class, () -> Model.load(dir)).getMessage());
        Files.writeString(manifestFile, manifest.replace("\"branchReads\" : [ 4, 4 ]", "\"branchReads\" : [ 4 ]"));
        assertEquals(manifestFile + ": $.branchReads lists 1 branches (expected one number for each of the 2 branches)",
                assertThrows(GlassboxException.class, () -> Model.load(dir)).getMessage());
    }
}
