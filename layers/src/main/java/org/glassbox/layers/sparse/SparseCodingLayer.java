package org.glassbox.layers.sparse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.SparseOutput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A frozen sparse-coding layer: maps {@code [n, gh, gw, d]} to codes {@code [n, gh, gw, K]}
 * position by position, each position vector x encoded over the dictionary D {@code [K, d]} by
 * the spec's {@link Encoder} (docs/architecture.md, "The sparse-coding solver"). Immutable.
 *
 * <p>Parameters ({@link #parameters()}): {@code dictionary} {@code [K, d]} float32, row k is atom
 * {@code <prefix>/a<k>}, unit L2 norm; {@code usage} {@code [K]} float32, the fraction of training
 * vectors in which each atom was non-zero.
 *
 * <p>Ablation ({@link #withAtomsOff}): a copy whose codes are zero at the switched-off atoms,
 * after encoding with the full dictionary, so the other atoms' codes are unchanged and the
 * switched-off atoms' contribution is simply removed. The switched-off set belongs to the copy in
 * memory; it is not one of the layer's parameters and is not saved with a model.
 */
public final class SparseCodingLayer implements SparseOutput, HasAtoms {
    private static final Pattern ATOM_ID = Pattern.compile("(.*)/a(0|[1-9][0-9]{0,8})");

    private final String id;
    private final SparseCodingSpec spec;
    private final MapShape inputShape;
    private final INDArray dictionary;
    private final INDArray usage;
    private final int[] off;
    private final INDArray keepMask;
    private final DictionaryEncoder encoder;

    /**
     * A layer from learned arrays (as {@link SparseCodingSpec#fit} and {@link SparseCodingKind}
     * build it); the arrays are copied.
     *
     * @param id the stage id, such as {@code "L1.code"}
     * @param inputShape the shape of one input map, {@code [gh, gw, d]}
     * @param dictionary {@code [spec.atoms(), d]} float32, finite
     * @param usage {@code [spec.atoms()]} float32, each in [0, 1]
     */
    public SparseCodingLayer(String id, SparseCodingSpec spec, MapShape inputShape, INDArray dictionary, INDArray usage) {
        this(id, spec, inputShape, checkDictionary(id, spec, inputShape, dictionary), checkUsage(id, spec, usage),
                new int[0], null);
    }

    private SparseCodingLayer(String id, SparseCodingSpec spec, MapShape inputShape, INDArray dictionary,
            INDArray usage, int[] off, DictionaryEncoder encoder) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        this.dictionary = dictionary;
        this.usage = usage;
        this.off = off;
        this.encoder = encoder != null ? encoder : new DictionaryEncoder(spec, dictionary, null);
        if (off.length == 0) {
            this.keepMask = null;
        } else {
            float[] keep = new float[spec.atoms()];
            Arrays.fill(keep, 1f);
            for (int k : off) keep[k] = 0f;
            this.keepMask = Nd4j.create(keep, new long[] {1, keep.length}, DataType.FLOAT);
        }
    }

    private static INDArray checkDictionary(String id, SparseCodingSpec spec, MapShape inputShape, INDArray dictionary) {
        Shapes.require(id + " dictionary", dictionary, spec.atoms(), inputShape.channels());
        Shapes.requireFinite(id + " dictionary", dictionary);
        return dictionary.dup('c');
    }

    private static INDArray checkUsage(String id, SparseCodingSpec spec, INDArray usage) {
        Shapes.require(id + " usage", usage, spec.atoms());
        INDArray copy = usage.dup('c');
        float[] u = copy.data().asFloat();
        for (int k = 0; k < u.length; k++) {
            if (!(u[k] >= 0f && u[k] <= 1f)) {
                throw new GlassboxException(id + " usage: value " + u[k] + " of atom " + k + " is outside [0, 1]");
            }
        }
        return copy;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SparseCodingSpec spec() {
        return spec;
    }

    @Override
    public MapShape inputShape() {
        return inputShape;
    }

    /** {@code [gh, gw, K]}: the input grid with one channel per atom. */
    @Override
    public MapShape outputShape() {
        return inputShape.withChannels(spec.atoms());
    }

    /** True: every position is coded on its own with the same dictionary. */
    @Override
    public boolean translationEquivariant() {
        return true;
    }

    /** Codes {@code [n, gh, gw, K]} of the maps {@code [n, gh, gw, d]}. */
    @Override
    public INDArray encode(INDArray input) {
        INDArray rows = checkInput(input);
        INDArray codes = encodeRows(rows);
        OffHeap.free(rows, input, codes);
        return Maps.map(codes, outputShape());
    }

    /**
     * Codes {@code [n, K]} of position vectors {@code [n, d]} (a flat data set, for example word
     * vectors, needs no map); the switched-off atoms' codes are zero.
     */
    public INDArray encodeRows(INDArray rows) {
        Shapes.require(id + " input rows", rows, Shapes.ANY, inputShape.channels());
        INDArray codes = encoder.encode(rows);
        return keepMask == null ? codes : codes.muliRowVector(keepMask);
    }

    /**
     * The codes of the maps {@code input} {@code [n, gh, gw, d]} as their non-zeros, one row per
     * position ({@link DictionaryEncoder#encodeSparse}); the switched-off atoms have none.
     */
    @Override
    public SparseRows encodeSparse(INDArray input) {
        INDArray rows = checkInput(input);
        SparseRows codes = encoder.encodeSparse(rows);
        OffHeap.free(rows, input);
        return off.length == 0 ? codes : codes.withoutColumns(off);
    }

    /** The reconstruction a D {@code [n, d]} of codes {@code [n, K]}. */
    public INDArray reconstructRows(INDArray codes) {
        Shapes.require(id + " codes", codes, Shapes.ANY, spec.atoms());
        return Nd4j.gemm(codes, dictionary, false, false);
    }

    /**
     * A copy of this layer with the atoms {@code atomIds} (such as {@code "L1/a17"}) switched off
     * as well as those already off: their codes are forced to zero after encoding.
     *
     * @throws GlassboxException naming the id when one is not an atom of this layer
     */
    public SparseCodingLayer withAtomsOff(Collection<String> atomIds) {
        TreeSet<Integer> all = new TreeSet<>();
        for (int k : off) all.add(k);
        for (String atomId : atomIds) {
            Matcher m = atomId == null ? null : ATOM_ID.matcher(atomId);
            int k = m != null && m.matches() && m.group(1).equals(spec.atomPrefix()) ? Integer.parseInt(m.group(2)) : -1;
            if (k < 0 || k >= spec.atoms()) {
                throw new GlassboxException(id + ": unknown atom id '" + atomId + "' (expected " + atomId(0)
                        + " .. " + atomId(spec.atoms() - 1) + ")");
            }
            all.add(k);
        }
        return new SparseCodingLayer(id, spec, inputShape, dictionary, usage,
                all.stream().mapToInt(Integer::intValue).toArray(), encoder);
    }

    /** The ids of the switched-off atoms, in index order (empty for a fitted or loaded layer). */
    public List<String> atomsOff() {
        List<String> ids = new ArrayList<>();
        for (int k : off) ids.add(atomId(k));
        return Collections.unmodifiableList(ids);
    }

    @Override
    public String atomPrefix() {
        return spec.atomPrefix();
    }

    /** {@code [K, d]}: row k is atom k in this layer's input space. Callers must not modify it. */
    @Override
    public INDArray dictionary() {
        return dictionary;
    }

    /** {@code [K]}: the fraction of training vectors in which each atom was non-zero. Callers must not modify it. */
    @Override
    public INDArray usage() {
        return usage;
    }

    /** {@code dictionary} {@code [K, d]} and {@code usage} {@code [K]}, in that order. */
    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("dictionary", dictionary);
        p.put("usage", usage);
        return Collections.unmodifiableMap(p);
    }

    private INDArray checkInput(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        Shapes.requireFinite(id + " input", input);
        return Maps.rows(input);
    }
}
