package org.glassbox.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.io.SafeName;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.inspect.Report;

/**
 * A model loaded from its folder together with the labelled items the inspection commands measure
 * it on: its own test set, or the data of {@code --data} ({@link ModelData}), in memory. Its first
 * sparse-coding stage remembers its outputs ({@link MemoizedAtoms}), so commands that pass over
 * the items more than once encode them once.
 *
 * @param model the model
 * @param test the items it is measured on
 * @param folder the model folder read
 */
public record InspectedModel(Model model, ImageSet test, Path folder) {
    /**
     * Reads the model in {@code dir} (a model folder holding {@code manifest.json}, or a run's output
     * folder holding {@code model/}, which must not be a symbolic link out of it) and loads
     * {@code data}, or its own test set when {@code data} is null.
     */
    public static InspectedModel load(Path dir, Path data, Progress progress) {
        Path folder = modelFolder(dir);
        Model model = ModelFile.read(folder);
        ImageSet test = ModelData.read(model, folder, data, progress).load();
        return new InspectedModel(model.withMemoizedCodes(Report.MEMO_BYTES), test, folder);
    }

    /**
     * The model folder {@code dir} names: {@code dir} itself, or the {@code model/} of a run's output
     * folder, which must lie inside it ({@link SafeName#inside}).
     */
    public static Path modelFolder(Path dir) {
        return !Files.isRegularFile(dir.resolve(ModelFile.MANIFEST)) && Files.isDirectory(dir.resolve("model"))
                ? SafeName.inside(dir, "model") : dir;
    }
}
