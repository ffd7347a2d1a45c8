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
import java.util.Map;
import javax.imageio.ImageIO;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.ChannelMaps;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
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
 * A pipeline with a branch beside its stages: the small sparse-manifold stack (2 x 2 grid, 8
 * embedding dimensions) and the pixels averaged over the same 2 x 2 grid, joined as a ninth channel.
 */
class BranchesTest {
    private static final List<Pipeline.Stage> PIXELS = List.of(
            new Pipeline.Stage("P.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2).withNormalize(false)));

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
        model = SmallSmtStack.withBranches(train, List.of(Pipeline.Branch.ofInput(PIXELS)));
        joined = model.pipeline();
    }

    private static Pipeline stagesAlone() {
        return new Pipeline(joined.inputShape(), joined.stages());
    }

    private static Pipeline pixels() {
        return joined.branches().get(0);
    }


    @Test
    void theOutputIsTheStagesChannelsFollowedByTheBranchs() {
        assertEquals(new MapShape(2, 2, 8), joined.stagesOutputShape());
        assertEquals(new MapShape(2, 2, 9), joined.outputShape());
        INDArray out = joined.transformAll(test.source());
        assertArrayEquals(FloatArrays.values(stagesAlone().transformAll(test.source())), SmallSmtStack.channels(out, 0, 8));
        assertArrayEquals(FloatArrays.values(pixels().transformAll(test.source())), SmallSmtStack.channels(out, 8, 9));
        // the branch's channel is the mean of each quarter of the image
        float[] image = FloatArrays.values(test.images().get(NDArrayIndex.point(0)).dup('c'));
        double topLeft = 0;
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) topLeft += image[y * 28 + x];
        }
        assertEquals(topLeft / 196, out.getFloat(0, 0, 0, 8), 1e-6);
        assertEquals(List.of("L1.embed/c0", "L1.embed/c1", "L1.embed/c2", "L1.embed/c3", "L1.embed/c4", "L1.embed/c5",
                "L1.embed/c6", "L1.embed/c7", "P.pool/c0"), new AtomIndex(joined).outputChannelNames());
    }

    @Test
    void aBranchOnAnotherGridIsRefusedBeforeAnythingIsFitted() {
        List<Pipeline.Stage> threeByThree = List.of(
                new Pipeline.Stage("P.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 3, 3)));
        var e = assertThrows(GlassboxException.class, () -> Pipeline.check(train.shape(), train.size(),
                SmallSmtStack.stages(64, 8, 200), List.of(Pipeline.Branch.ofInput(threeByThree))));
        assertEquals("the branch from stage P.pool gives a 3 x 3 grid but the stages give 2 x 2 (expected the same grid, "
                + "so that its channels join theirs)", e.getMessage());
        var stack = new StackDescription(SmallSmtStack.stages(64, 8, 200), List.of(Pipeline.Branch.ofInput(threeByThree)), List.of());
        var f = assertThrows(GlassboxException.class, () -> stack.check("digits", train.shape(), 300, 300, 10));
        assertEquals("digits: " + e.getMessage(), f.getMessage());
    }

    @Test
    void aShiftedCopysBranchChannelsAreThoseOfTheShiftedImage() {
        int n = test.size();
        INDArray copies = joined.transformAllWithShiftedCopies(test.source(), 2, Progress.silent(), "t");
        INDArray withoutBranch = stagesAlone().transformAllWithShiftedCopies(test.source(), 2, Progress.silent(), "t");
        assertEquals(9L * n, copies.size(0));
        assertArrayEquals(FloatArrays.values(withoutBranch), SmallSmtStack.channels(copies, 0, 8));
        assertArrayEquals(FloatArrays.values(pixels().transformAll(test.withShiftedCopies(2).source())),
                SmallSmtStack.channels(copies, 8, 9));
    }

    @Test
    void anExplanationsContributionsAddUpToTheScoresWithTheBranchsChannel() {
        Explanation e = model.explain(test, 3);
        List<String> names = e.contributions().stream().map(Explanation.Contribution::atom).toList();
        assertEquals(65, names.size());
        assertEquals("L1/a0", names.get(0));
        assertEquals("P.pool/c0", names.get(64));
        assertEquals(9, e.channels().size());
        for (List<Explanation.Contribution> view : List.of(e.contributions(), e.channels())) {
            for (int c = 0; c < 10; c++) {
                double sum = e.bias()[c];
                for (Explanation.Contribution k : view) sum += k.value()[c];
                assertEquals(e.scores()[c], sum, 1e-4, "class " + c);
            }
        }
        float pixel = e.contributions().get(64).value()[e.predicted()];
        assertEquals(pixel, e.channels().get(8).value()[e.predicted()]);
        assertTrue(pixel != 0, "the pooled pixels contribute to the score");
    }

    @Test
    void aBranchChannelsMapAddsUpToItsContribution() {
        Explanation e = model.explain(test, 3);
        ScoreDecomposition readout = (ScoreDecomposition) model.linearReadout();
        INDArray features = joined.transform(test.images().get(NDArrayIndex.interval(3, 4), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
        int p = e.predicted();
        int other = (p + 1) % 10;
        float[] pixel = e.contributions().get(64).value();
        INDArray own = ChannelMaps.contributions(readout, features, 8, p, p);
        assertArrayEquals(new long[] {2, 2}, own.shape());
        assertEquals(pixel[p], own.sumNumber().doubleValue(), 1e-5);
        INDArray against = ChannelMaps.contributions(readout, features, 8, p, other);
        assertEquals(pixel[p] - pixel[other], against.sumNumber().doubleValue(), 1e-5);
        assertEquals(readout.weightMaps().getFloat(other, 1, 0, 8) * features.getFloat(0, 1, 0, 8),
                ChannelMaps.contributions(readout, features, 8, other, other).getFloat(1, 0), 1e-7);
        INDArray weights = ChannelMaps.weights(readout, 8);
        assertArrayEquals(new long[] {10, 2, 2}, weights.shape());
        assertEquals(readout.weightMaps().getFloat(p, 0, 1, 8), weights.getFloat(p, 0, 1));
        var e9 = assertThrows(GlassboxException.class, () -> ChannelMaps.weights(readout, 9));
        assertEquals("channel 9 is outside the readout's input (expected 0 .. 8)", e9.getMessage());
        var e10 = assertThrows(GlassboxException.class, () -> ChannelMaps.contributions(readout, features, 8, 10, p));
        assertEquals("class 10 is outside the readout's classes (expected 0 .. 9)", e10.getMessage());
        var two = assertThrows(GlassboxException.class, () -> ChannelMaps.contributions(readout,
                Nd4j.concat(0, features, features), 8, p, p));
        assertEquals("features: expected one input [1, 2, 2, 9] but got [2, 2, 2, 9]", two.getMessage());
    }

    @Test
    void theReportDrawsTheReadoutsWeightsOnTheBranchChannel() throws IOException {
        Path html = Report.write(model, test, tmp, Progress.silent());
        String page = Files.readString(html);
        assertTrue(page.contains("<h3>linear on P.pool/c0</h3>"), "the branch channel's section");
        Path weights = tmp.resolve("report/img/weights-P-pool-c0.png");
        assertTrue(page.contains("src=\"img/weights-P-pool-c0.png\""), "the page shows the weight maps");
        // ten 2 x 2 maps side by side, each enlarged 30 times, with 1-pixel lines around them
        var picture = ImageIO.read(weights.toFile());
        assertEquals(10 * 61 + 1, picture.getWidth());
        assertEquals(61 + 1, picture.getHeight());
        assertTrue(page.contains("alt=\"what each position of P.pool/c0 adds\""), "a driver's map");
    }

    @Test
    void switchingOffEveryAtomLeavesTheBranchToDecide() {
        List<String> atoms = new ArrayList<>();
        for (int k = 0; k < 64; k++) atoms.add("L1/a" + k);
        Ablation.Result r = model.ablate(test, atoms);
        assertEquals(model.accuracy(test), r.before().overall(), 1e-12);
        // with no codes, the embedded and pooled maps are zero: only the pooled pixels remain
        INDArray pixelsOnly = Nd4j.concat(3, Nd4j.zeros(DataType.FLOAT, test.size(), 2, 2, 8),
                pixels().transformAll(test.source()));
        int[] predicted = Predictions.argmax(model.linearReadout().encode(pixelsOnly));
        int right = 0;
        for (int i = 0; i < test.size(); i++) right += predicted[i] == test.labels()[i] ? 1 : 0;
        assertEquals((double) right / test.size(), r.after().overall(), 1e-12);
        assertTrue(r.after().overall() < r.before().overall());
    }

    @Test
    void aModelWithABranchIsWrittenAsVersion2AndReadBackTheSame() throws IOException {
        Path dir = tmp.resolve("model");
        model.save(dir);
        String manifest = Files.readString(dir.resolve(ModelFile.MANIFEST));
        assertTrue(manifest.contains("\"formatVersion\" : 2"), manifest);
        Model back = Model.load(dir);
        assertEquals(List.of("P.pool"), back.pipeline().branches().get(0).stages().stream().map(l -> l.id()).toList());
        assertArrayEquals(FloatArrays.values(model.scores(test.source())), FloatArrays.values(back.scores(test.source())));

        Path plain = tmp.resolve("plain");
        new Model(model.provenance(), stagesAlone(), List.of(), Map.of()).save(plain);
        String version1 = Files.readString(plain.resolve(ModelFile.MANIFEST));
        assertTrue(version1.contains("\"formatVersion\" : 1") && !version1.contains("branches"), version1);

        Files.writeString(dir.resolve(ModelFile.MANIFEST), manifest.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1"));
        var e = assertThrows(GlassboxException.class, () -> Model.load(dir));
        assertEquals(dir.resolve(ModelFile.MANIFEST) + ": field 'branches' at $ needs model format version 2 "
                + "(the manifest says 1)", e.getMessage());
        Files.writeString(dir.resolve(ModelFile.MANIFEST), manifest.replaceFirst("\"branches\" : \\[", "\"twigs\" : ["));
        var f = assertThrows(GlassboxException.class, () -> Model.load(dir));
        assertEquals(dir.resolve(ModelFile.MANIFEST) + ": missing field $.branches (absent or null)", f.getMessage());
    }
}
