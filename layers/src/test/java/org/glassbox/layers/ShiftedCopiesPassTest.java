package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.ShiftedCopies;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Pipeline#transformAllWithShiftedCopies} on a fitted sparse-manifold stack: a copy is the
 * stack's output for the shifted image when the edge it enters from is blank, what leaves the map is
 * dropped, and the images themselves are shifted when no leading stage is translation-equivariant.
 */
class ShiftedCopiesPassTest {
    private static Pipeline smt;
    private static ImageSet digits;

    @BeforeAll
    static void fit() {
        TrainTest split = EmbeddedMnist.split();
        smt = Pipeline.fit(SmallSmtStack.spread(split.train(), 300).source(), SmallSmtStack.stages(64, 4, 200),
                FitContext.silent(5));
        digits = SmallSmtStack.spread(split.test(), 60);
    }

    @Test
    void theEquivariantStagesAreThePatchesAtStrideOneAndThePerPositionStages() {
        List<Boolean> equivariant = smt.stages().stream().map(s -> s.translationEquivariant()).toList();
        assertEquals(List.of(true, true, true, true, false), equivariant);
    }

    @Test
    void theOriginalsComeFirstAsTheOrdinaryPassGivesThem() {
        float[] ordinary = FloatArrays.values(smt.transformAll(digits.source()));
        float[] withCopies = FloatArrays.values(smt.transformAllWithShiftedCopies(digits.source(), 1, Progress.silent(), "t"));
        assertArrayEquals(ordinary, java.util.Arrays.copyOfRange(withCopies, 0, ordinary.length));
        assertArrayEquals(ordinary,
                FloatArrays.values(smt.transformAllWithShiftedCopies(digits.source(), 0, Progress.silent(), "t")));
    }

    @Test
    void aCopyIsTheShiftedImagesOutputWhenTheEdgeItEntersFromIsBlank() {
        int n = digits.size();
        int size = (int) smt.outputShape().size();
        float[] copies = FloatArrays.values(smt.transformAllWithShiftedCopies(digits.source(), 2, Progress.silent(), "t"));
        float[] shiftedImages = FloatArrays.values(smt.transformAll(digits.withShiftedCopies(2).source()));
        assertEquals(9 * n * size, copies.length);
        float[] pixels = FloatArrays.values(digits.images());
        List<int[]> moves = ShiftedCopies.moves(2);
        int compared = 0;
        int differing = 0;
        for (int m = 0; m < moves.size(); m++) {
            for (int i = 0; i < n; i++) {
                int from = (m * n + i) * size;
                float d = maxDifference(java.util.Arrays.copyOfRange(shiftedImages, from, from + size),
                        java.util.Arrays.copyOfRange(copies, from, from + size));
                if (blankWhereItEnters(pixels, i, moves.get(m), 5)) {
                    assertTrue(d <= 1e-6f, "move " + m + " of digit " + i + ": largest difference " + d);
                    compared++;
                } else if (d > 1e-6f) {
                    differing++;
                }
            }
        }
        assertTrue(compared >= 4 * n, compared + " copies compared");
        assertTrue(differing > 0, "no copy of a digit with ink where it enters differs from its shifted image");
    }

    @Test
    void whatAMoveTakesPastTheFarEdgeLeavesNoTrace() {
        ImageSet one = digits.select("one", new int[] {0});
        float[] pixels = FloatArrays.values(one.images());
        for (int y = 10; y < 18; y++) pixels[y * 28 + 27] = 1f;
        ImageSet stroked = new ImageSet("stroked", FloatArrays.of(pixels, 1, 28, 28, 1), one.labels(), one.classes());
        int size = (int) smt.outputShape().size();
        float[] plain = FloatArrays.values(smt.transformAllWithShiftedCopies(one.source(), 1, Progress.silent(), "t"));
        float[] withStroke = FloatArrays.values(smt.transformAllWithShiftedCopies(stroked.source(), 1, Progress.silent(), "t"));
        // copy 3 moves right: the stroke along the right edge leaves the map
        assertArrayEquals(java.util.Arrays.copyOfRange(plain, 3 * size, 4 * size),
                java.util.Arrays.copyOfRange(withStroke, 3 * size, 4 * size));
        // copy 4 moves left: the stroke stays inside
        assertTrue(maxDifference(java.util.Arrays.copyOfRange(plain, 4 * size, 5 * size),
                java.util.Arrays.copyOfRange(withStroke, 4 * size, 5 * size)) > 1e-3f);
    }

    @Test
    void withNoEquivariantLeadingStageTheImagesThemselvesAreShifted() {
        Pipeline strided = Pipeline.fit(digits.source(), List.of(new Pipeline.Stage("patches", new PatchSpec(4, 2)),
                new Pipeline.Stage("pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 3, 3))), FitContext.silent(1));
        assertArrayEquals(FloatArrays.values(strided.transformAll(digits.withShiftedCopies(2).source())),
                FloatArrays.values(strided.transformAllWithShiftedCopies(digits.source(), 2, Progress.silent(), "t")));
    }

    /** Whether image {@code i} of 28 x 28 {@code pixels} is 0 within {@code band} pixels of the edge that {@code move} enters from. */
    private static boolean blankWhereItEnters(float[] pixels, int i, int[] move, int band) {
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean entering = move[0] > 0 && y < band || move[0] < 0 && y >= 28 - band
                        || move[1] > 0 && x < band || move[1] < 0 && x >= 28 - band;
                if (entering && pixels[(i * 28 + y) * 28 + x] != 0f) return false;
            }
        }
        return true;
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

}
