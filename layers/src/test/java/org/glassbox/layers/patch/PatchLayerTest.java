package org.glassbox.layers.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.io.Json;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PatchLayerTest {
    private static float[] random(int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    private static PatchLayer layer(int k, int s, MapShape in) {
        INDArray empty = Nd4j.create(DataType.FLOAT, in.batchShape(1));
        return new PatchSpec(k, s).fit("L1.patches", MapSource.of(empty), FitContext.silent(1));
    }

    /** out[n, i, j, (dy * k + dx) * C + c] = in[n, i * s + dy, j * s + dx, c], written with explicit indices. */
    private static float[] naivePatches(float[] in, int n, int h, int w, int c, int k, int s) {
        int gh = (h - k) / s + 1;
        int gw = (w - k) / s + 1;
        int d = k * k * c;
        float[] out = new float[n * gh * gw * d];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < gh; i++)
                for (int j = 0; j < gw; j++)
                    for (int dy = 0; dy < k; dy++)
                        for (int dx = 0; dx < k; dx++)
                            for (int ch = 0; ch < c; ch++)
                                out[(((b * gh + i) * gw + j) * d) + (dy * k + dx) * c + ch] =
                                        in[((b * h + i * s + dy) * w + j * s + dx) * c + ch];
        return out;
    }

    @Test
    void extractionMatchesANaiveReferenceForChannelsAndStrides() {
        int[][] cases = {{7, 9, 1, 3, 1}, {10, 8, 3, 4, 3}, {6, 6, 5, 6, 1}, {11, 13, 2, 2, 2}, {9, 9, 64, 3, 2}};
        for (int[] t : cases) {
            int n = 3;
            int h = t[0];
            int w = t[1];
            int c = t[2];
            int k = t[3];
            int s = t[4];
            float[] data = random(n * h * w * c, h * 31L + c);
            INDArray input = Nd4j.create(data, new long[] {n, h, w, c}, 'c');
            INDArray out = layer(k, s, new MapShape(h, w, c)).encode(input);
            assertArrayEquals(new long[] {n, (h - k) / s + 1, (w - k) / s + 1, (long) k * k * c}, out.shape());
            assertArrayEquals(naivePatches(data, n, h, w, c, k, s), out.data().asFloat(), java.util.Arrays.toString(t));
        }
    }

    @Test
    void extractsFromViewsAndLeavesTheInputUnchanged() {
        float[] data = random(6 * 8 * 8 * 2, 5);
        INDArray all = Nd4j.create(data, new long[] {6, 8, 8, 2}, 'c');
        INDArray view = all.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray out = layer(3, 2, new MapShape(8, 8, 2)).encode(view);
        float[] expected = naivePatches(java.util.Arrays.copyOfRange(data, 2 * 128, 5 * 128), 3, 8, 8, 2, 3, 2);
        assertArrayEquals(expected, out.data().asFloat());
        assertArrayEquals(data, all.data().asFloat());
        INDArray fortran = Nd4j.create(data, new long[] {6, 8, 8, 2}, 'c').dup('f');
        assertArrayEquals(naivePatches(data, 6, 8, 8, 2, 3, 2),
                layer(3, 2, new MapShape(8, 8, 2)).encode(fortran).data().asFloat());
        INDArray transposed = Nd4j.create(data, new long[] {6, 8, 8, 2}, 'c').permute(0, 2, 1, 3);
        float[] swapped = transposed.dup('c').data().asFloat();
        assertArrayEquals(naivePatches(swapped, 6, 8, 8, 2, 3, 2),
                layer(3, 2, new MapShape(8, 8, 2)).encode(transposed).data().asFloat());
    }

    @Test
    void outputShapesFollowTheGeometry() {
        assertEquals(new MapShape(23, 23, 36), new PatchSpec(6, 1).outputShape(new MapShape(28, 28, 1)));
        assertEquals(new MapShape(12, 12, 36), new PatchSpec(6, 2).outputShape(new MapShape(28, 28, 1)));
        assertEquals(new MapShape(8, 4, 9 * 64), new PatchSpec(3, 1).outputShape(new MapShape(10, 6, 64)));
        assertEquals(new MapShape(1, 1, 75), new PatchSpec(5, 7).outputShape(new MapShape(5, 5, 3)));
        assertEquals(0, layer(3, 1, new MapShape(5, 5, 1)).encode(Nd4j.create(DataType.FLOAT, 0, 5, 5, 1)).size(0));
    }

    @Test
    void aPatchVectorAsAPatternIsTheWindowItCameFrom() {
        int h = 9;
        int w = 10;
        int c = 3;
        float[] data = random(h * w * c, 9);
        INDArray input = Nd4j.create(data, new long[] {1, h, w, c}, 'c');
        PatchLayer layer = layer(4, 2, new MapShape(h, w, c));
        INDArray out = layer.encode(input);
        for (int i = 0; i < out.size(1); i++) {
            for (int j = 0; j < out.size(2); j++) {
                INDArray vector = out.get(NDArrayIndex.point(0), NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all());
                INDArray window = input.get(NDArrayIndex.point(0), NDArrayIndex.interval(2 * i, 2 * i + 4),
                        NDArrayIndex.interval(2 * j, 2 * j + 4), NDArrayIndex.all());
                assertEquals(window, layer.patternToInput(vector.reshape('c', 1, 1, 1, 48)).slice(0));
            }
        }
        var ex = assertThrows(GlassboxException.class, () -> layer.patternToInput(Nd4j.create(DataType.FLOAT, 2, 1, 1, 47)));
        assertEquals("L1.patches patterns: expected shape [*, *, *, 48] but got [2, 1, 1, 47]", ex.getMessage());
    }

    @Test
    void aPatternOfSeveralPositionsSumsTheOverlappingWindows() {
        PatchLayer layer = layer(3, 2, new MapShape(9, 9, 2));
        INDArray patterns = Nd4j.create(random(2 * 2 * 3 * 18, 23), new long[] {2, 2, 3, 18}, 'c');
        INDArray image = layer.patternToInput(patterns);
        // rows of windows start at 0 and 2 (covering 0..4), columns at 0, 2 and 4 (covering 0..6)
        assertArrayEquals(new long[] {2, 5, 7, 2}, image.shape());
        for (int a = 0; a < 2; a++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++)
                    for (int ch = 0; ch < 2; ch++) {
                        double expected = 0;
                        for (int i = 0; i < 2; i++)
                            for (int j = 0; j < 3; j++) {
                                int dy = y - 2 * i;
                                int dx = x - 2 * j;
                                if (dy >= 0 && dy < 3 && dx >= 0 && dx < 3) expected += patterns.getFloat(a, i, j, (dy * 3 + dx) * 2 + ch);
                            }
                        assertEquals(expected, image.getFloat(a, y, x, ch), 1e-5, "cell " + y + "," + x);
                    }
    }

    @Test
    void outputRowsReadTheirWindowsRows() {
        PatchLayer layer = layer(4, 3, new MapShape(11, 9, 1));
        assertEquals(new Span(3, 10), layer.inputSpan(new Span(1, 3), true));
        assertEquals(new Span(0, 4), layer.inputSpan(new Span(0, 1), false));
    }

    @Test
    void toInputAveragesOverlapsAndRestoresCoveredCells() {
        int h = 11;
        int w = 9;
        int c = 2;
        float[] data = random(2 * h * w * c, 13);
        INDArray input = Nd4j.create(data, new long[] {2, h, w, c}, 'c');
        PatchLayer layer = layer(4, 3, new MapShape(h, w, c));
        float[] folded = layer.toInput(layer.encode(input)).data().asFloat();
        // windows start at rows 0, 3, 6 (covering rows 0..9) and columns 0, 3 (covering 0..6)
        for (int b = 0; b < 2; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++) {
                        int at = ((b * h + y) * w + x) * c + ch;
                        float expected = y <= 9 && x <= 6 ? data[at] : 0f;
                        assertEquals(expected, folded[at], 1e-6f, "cell " + y + "," + x);
                    }
        // arbitrary patches: each cell the mean of the values that cover it
        INDArray patches = Nd4j.create(random(3 * 2 * 16 * c, 17), new long[] {1, 3, 2, 16 * c}, 'c');
        INDArray f = layer.toInput(patches).reshape(h, w, c);
        float sum = 0;
        for (int i = 1; i <= 2; i++)
            for (int j = 0; j <= 1; j++) {
                int dy = 6 - 3 * i;
                int dx = 3 - 3 * j;
                sum += patches.getFloat(0, i, j, (dy * 4 + dx) * c + 1);
            }
        assertEquals(sum / 4, f.getFloat(6, 3, 1), 1e-6f);
    }

    @Test
    void specValidationNamesTheParameter() {
        assertEquals("invalid size = 0: expected a positive integer",
                assertThrows(InvalidParameterException.class, () -> new PatchSpec(0, 1)).getMessage());
        assertEquals("invalid stride = -2: expected a positive integer",
                assertThrows(InvalidParameterException.class, () -> new PatchSpec(3, -2)).getMessage());
        assertEquals(new PatchSpec(5, 2), new PatchSpec(3, 2).withSize(5));
        assertEquals(new PatchSpec(3, 4), new PatchSpec(3, 2).withStride(4));
    }

    @Test
    void boundaryErrorsGiveBothShapes() {
        var tooLarge = assertThrows(GlassboxException.class, () -> layer(5, 1, new MapShape(4, 6, 1)));
        assertEquals("L1.patches: invalid size = 5: expected at most 4, the shorter side of the input grid [4, 6, 1]",
                tooLarge.getMessage());
        var tooManyValues = assertThrows(InvalidParameterException.class,
                () -> new PatchSpec(20, 1).check(new MapShape(30, 30, 6_000_000), 1));
        assertEquals("invalid size = 20: expected at most 18 over the 6000000 channels of the input grid "
                + "[30, 30, 6000000] (a patch of size * size * channels values is counted by an int)",
                tooManyValues.getMessage());
        PatchLayer layer = layer(3, 1, new MapShape(8, 8, 1));
        var wrong = assertThrows(GlassboxException.class, () -> layer.encode(Nd4j.create(DataType.FLOAT, 2, 8, 7, 1)));
        assertEquals("L1.patches input: expected shape [*, 8, 8, 1] but got [2, 8, 7, 1]", wrong.getMessage());
    }

    @Test
    void restoresThroughItsKindFromTheSerialisedSpec() throws Exception {
        PatchLayer fitted = layer(4, 2, new MapShape(10, 10, 3));
        LayerKind kind = LayerKind.named("patches");
        ComponentSpec spec = Json.MAPPER.treeToValue(Json.MAPPER.valueToTree(fitted.spec()), kind.specType());
        assertEquals(fitted.spec(), spec);
        Layer restored = kind.restore("L1.patches", spec, fitted.inputShape(), Map.of());
        assertEquals(fitted.outputShape(), restored.outputShape());
        assertTrue(restored.parameters().isEmpty());
        INDArray x = Nd4j.create(random(2 * 300, 3), new long[] {2, 10, 10, 3}, 'c');
        assertEquals(fitted.encode(x), restored.encode(x));
        var ex = assertThrows(GlassboxException.class, () -> kind.restore("L1.patches", spec, fitted.inputShape(),
                Map.of("mean", Nd4j.create(DataType.FLOAT, 3))));
        assertEquals("L1.patches: a patches stage has no learned arrays but the model lists [mean]", ex.getMessage());
    }
}
