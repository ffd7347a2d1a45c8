package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Explains one input: the input runs through the pipeline stage by stage; at every sparse-coding
 * stage with input vectors x (one per grid position) and codes a, the reconstruction is a D and the
 * residual r = x - a D (the LASSO's terms, docs/inspection.md); at the readout, each atom's exact
 * contribution to each class score, through the pooling and embedding stages after the atoms
 * and through the branches that read them ({@link AtomAttribution#shares}), and each readout input
 * channel's ({@link ScoreDecomposition}) when the channels are not the atoms (embedding
 * dimensions). The channels of a branch that comes from no atoms ({@link Pipeline#branches}, such as
 * pooled pixels) are listed beside the atoms, so that the contributions still add up to the score.
 */
public final class Explainer {
    private Explainer() {
    }

    /** Checks that {@code index} names an item of {@code set}. */
    private static void requireIndex(ImageSet set, int index) {
        if (index < 0 || index >= set.size()) {
            throw new GlassboxException("index " + index + " is outside the test set (expected 0 .. " + (set.size() - 1) + ")");
        }
    }

    /** Explains item {@code index} of {@code set} through {@code readout} (a readout of {@code pipeline}'s output with a decomposition). */
    public static Explanation explain(Pipeline pipeline, Layer readout, ImageSet set, int index) {
        requireIndex(set, index);
        INDArray input = set.images().get(NDArrayIndex.interval(index, index + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        return explain(pipeline, readout, input, index, set.labels()[index]);
    }

    /**
     * Explains the one image {@code input} {@code [1, H, W, C]} through {@code readout}, reporting it
     * as item {@code index} of class {@code label} (-1 when unknown).
     */
    public static Explanation explain(Pipeline pipeline, Layer readout, INDArray input, int index, int label) {
        Shapes.requireMap("image", input, pipeline.inputShape());
        if (input.size(0) != 1) {
            throw new GlassboxException("image: expected one image [1, H, W, C] but got " + input.size(0));
        }
        if (!(readout instanceof ScoreDecomposition decomposition)) {
            throw new GlassboxException("readout " + readout.id()
                    + " does not decompose into atom contributions (expected a linear readout)");
        }
        AtomIndex atoms = new AtomIndex(pipeline);
        Anatomy anatomy = Anatomy.of(pipeline);
        INDArray x = input;
        List<Explanation.LayerTrace> layers = new ArrayList<>();
        for (int s = 0; s < pipeline.stages().size(); s++) {
            Layer stage = pipeline.stages().get(s);
            INDArray out = stage.encode(x);
            if (stage instanceof HasAtoms a) layers.add(trace(pipeline, anatomy, s, a, stage.id(), x, out));
            x = out;
        }
        INDArray features = pipeline.join(x, input);
        INDArray scores = readout.encode(features);
        float[] s = scores.dup('c').data().asFloat();
        List<String> channelNames = atoms.outputChannelNames();
        INDArray byChannel = decomposition.contributions(features);
        List<Explanation.Contribution> channels = named(channelNames, byChannel.reshape('c', byChannel.size(1), s.length));
        List<String> shareNames = AtomAttribution.shareNames(pipeline);
        boolean beyondChannels = !shareNames.equals(channelNames);
        List<Explanation.Contribution> byAtom = beyondChannels
                ? named(shareNames, AtomAttribution.shares(pipeline, decomposition, input).get(0)) : channels;
        return new Explanation(index, label, Predictions.argmax(scores)[0], readout.id(), s,
                decomposition.bias().dup().data().asFloat(), byAtom, beyondChannels ? channels : List.of(), layers);
    }

    /** One contribution per row of {@code values} {@code [names, classes]}, named in order. */
    private static List<Explanation.Contribution> named(List<String> names, INDArray values) {
        int classes = (int) values.size(1);
        float[] c = values.dup('c').data().asFloat();
        List<Explanation.Contribution> list = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            float[] v = new float[classes];
            System.arraycopy(c, k * classes, v, 0, classes);
            list.add(new Explanation.Contribution(names.get(k), v));
        }
        return list;
    }

    private static Explanation.LayerTrace trace(Pipeline pipeline, Anatomy anatomy, int s, HasAtoms a, String stageId,
            INDArray input, INDArray codes) {
        INDArray rows = Maps.rows(input);
        INDArray codeRows = Maps.rows(codes);
        INDArray recon = codeRows.mmul(a.dictionary());
        INDArray residual = rows.sub(recon);
        int k = a.atomCount();
        int positions = (int) codeRows.size(0);
        float[] v = codeRows.dup('c').data().asFloat();
        double[] total = new double[k];
        double[] max = new double[k];
        int[] count = new int[k];
        long nonZero = 0;
        for (int p = 0; p < positions; p++) {
            for (int j = 0; j < k; j++) {
                float value = v[p * k + j];
                if (value != 0) {
                    total[j] += value;
                    max[j] = Math.max(max[j], Math.abs(value));
                    count[j]++;
                    nonZero++;
                }
            }
        }
        List<Explanation.ActiveAtom> active = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (count[j] > 0) active.add(new Explanation.ActiveAtom(a.atomId(j), total[j], max[j], count[j]));
        }
        active.sort((p, q) -> Double.compare(Math.abs(q.total()), Math.abs(p.total())));
        INDArray reconMap = Maps.map(recon, pipeline.stages().get(s).inputShape());
        INDArray inputImage = anatomy.inputImages(s, input).map(i -> i.slice(0)).orElse(null);
        INDArray reconImage = anatomy.inputImages(s, reconMap).map(i -> i.slice(0)).orElse(null);
        INDArray residualImage = inputImage == null || reconImage == null ? null : inputImage.sub(reconImage);
        return new Explanation.LayerTrace(a.atomPrefix(), stageId, active, positions == 0 ? 0 : (double) nonZero / positions,
                rows.norm2Number().doubleValue(), residual.norm2Number().doubleValue(), inputImage, reconImage, residualImage,
                codes.slice(0).dup('c'));
    }
}
