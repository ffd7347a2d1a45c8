package org.glassbox.mnist.inspect;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.io.SafeName;

/**
 * A model loaded from its folder together with the data it was fitted on, so that inspection
 * commands measure it on the same test set. Its first sparse-coding stage remembers its outputs
 * ({@link MemoizedAtoms}), so commands that pass over the test set more than once encode it once.
 *
 * <p>Which data: the model's {@code info} entry {@value #DATA_KEY} when present, else
 * {@code provenance.dataset}. The value {@value #EMBEDDED} or {@link EmbeddedMnist#NAME} means the
 * embedded digits with their fixed split ({@link EmbeddedMnist#split()}); anything else is the path
 * of an IDX folder ({@link IdxFolder#read}). When the model's provenance says it was fitted on as
 * many training images as the split has, their SHA-256 must match it.
 *
 * @param model the model
 * @param split the train and test sets it was fitted and measured on
 * @param folder the model folder read
 */
public record InspectedModel(Model model, TrainTest split, Path folder) {
    /** The info key naming the data a model was fitted on. */
    public static final String DATA_KEY = "data";
    /** The info value for the embedded digits. */
    public static final String EMBEDDED = "embedded";

    /**
     * Reads the model in {@code dir} (a model folder holding {@code manifest.json}, or a run's output
     * folder holding {@code model/}, which must not be a symbolic link out of it) and loads its data.
     */
    public static InspectedModel load(Path dir) {
        InspectedModel m = loadFitted(dir);
        return new InspectedModel(MemoizedAtoms.firstSparseStage(m.model(), Report.MEMO_BYTES), m.split(), m.folder());
    }

    /**
     * The model folder {@code dir} names: {@code dir} itself, or the {@code model/} of a run's output
     * folder, which must lie inside it ({@link SafeName#inside}).
     */
    public static Path modelFolder(Path dir) {
        return !Files.isRegularFile(dir.resolve(ModelFile.MANIFEST)) && Files.isDirectory(dir.resolve("model"))
                ? SafeName.inside(dir, "model") : dir;
    }

    private static InspectedModel loadFitted(Path dir) {
        Path folder = modelFolder(dir);
        Model model = ModelFile.read(folder);
        String data = model.info().getOrDefault(DATA_KEY, model.provenance().dataset());
        TrainTest split;
        if (EMBEDDED.equals(data) || EmbeddedMnist.NAME.equals(data)) {
            split = EmbeddedMnist.split();
        } else if (data != null && Files.isDirectory(Path.of(data))) {
            split = IdxFolder.read(Path.of(data));
        } else {
            throw new GlassboxException(folder.resolve(ModelFile.MANIFEST) + ": the model was fitted on '" + data
                    + "', which is neither the embedded digits nor an existing IDX folder (expected info \"" + DATA_KEY
                    + "\": \"" + EMBEDDED + "\" or a folder path)");
        }
        if (model.provenance().trainSamples() == split.train().size()
                && !split.train().fingerprint().equals(model.provenance().dataSha256())) {
            throw new GlassboxException(folder.resolve(ModelFile.MANIFEST) + ": the training data at '" + data
                    + "' has SHA-256 " + split.train().fingerprint() + " but the model was fitted on data with SHA-256 "
                    + model.provenance().dataSha256() + " (expected the same data)");
        }
        return new InspectedModel(model, split, folder);
    }
}
