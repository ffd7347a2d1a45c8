package org.glassbox.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ClassFolderTree;
import org.glassbox.imagenet.DataLayout;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageInfo;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.SkipLog;
import org.glassbox.imagenet.StreamOptions;

/**
 * Finds the items a command runs a model on and checks, before any work, that they fit the model's
 * input shape.
 *
 * <p>With {@code --data FOLDER}: an IDX folder (one holding {@code train-images...} or
 * {@code t10k-images...} files; its test set, {@link IdxFolder}), or else an image folder, read
 * with the preprocessing the model records ({@link ImageInfo#testCrop()}, the centred crop of
 * {@code ./glassbox imagenet}'s test images): one folder per class, each named as one of the model's
 * classes ({@link ClassFolderTree}; labelled with the model's class indices), or image files and no
 * sub-folders (unlabelled).
 *
 * <p>Without: the test set of the data the model was fitted on, named by its info {@value #DATA_KEY}
 * or else {@code provenance.dataset}: {@value #EMBEDDED} or {@link EmbeddedMnist#NAME} for the
 * embedded digits' fixed split; for a model with image info, its image folder split as the imagenet
 * command split it ({@link DataLayout#read} with the recorded test fraction, label file and the
 * provenance's seed), which must have the model's classes; anything else is an IDX folder, whose
 * training set must have the SHA-256 the provenance records when it has as many images as the fit saw.
 */
final class ModelData {
    /** The info key naming the data a model was fitted on. */
    static final String DATA_KEY = "data";
    /** The info value for the embedded digits. */
    static final String EMBEDDED = "embedded";
    /** The help text of the {@code --data} option of every command that runs a model. */
    static final String DATA_HELP = "Other data than the model's own test set: an IDX folder (its test set), or an "
            + "image folder (one folder per class of the model, or image files without labels) read as the model's "
            + "test images were.";
    /** Threads that decode image files. */
    static final int DECODE_THREADS = 2;

    private ModelData() {
    }

    /**
     * The items to run {@code model} (read from {@code modelFolder}) on: those of {@code data}, or
     * the model's own test set when {@code data} is null. Image files that cannot be decoded are
     * named on standard error and left out.
     */
    static Items read(Model model, Path modelFolder, Path data, Progress progress) {
        Path manifest = modelFolder.resolve(ModelFile.MANIFEST);
        ImageInfo image = ImageInfo.of(model.info(), manifest).orElse(null);
        if (image != null && !image.testCrop().shape().equals(model.pipeline().inputShape())) {
            throw new GlassboxException(manifest + ": info \"" + ImageInfo.RESIZE + "\" and \"" + ImageInfo.CROP
                    + "\" make images of " + image.testCrop().shape() + " but the model reads "
                    + model.pipeline().inputShape() + " (expected the crops it was fitted on)");
        }
        if (data != null) return IdxFolder.holdsIdxImages(data) ? idx(data, model) : imageFolder(data, model, manifest, image, progress);
        String own = model.info().getOrDefault(DATA_KEY, model.provenance().dataset());
        if (image != null) return ownImages(model, manifest, image, own, progress);
        if (model.info().containsKey(ImageInfo.CLASS_NAMES)) throw noImageInfo(manifest);
        return Items.of(ownDigits(model, manifest, own));
    }

    /** The test set of the IDX folder or embedded digits a model without image info was fitted on. */
    private static ImageSet ownDigits(Model model, Path manifest, String data) {
        TrainTest split;
        if (EMBEDDED.equals(data) || EmbeddedMnist.NAME.equals(data)) {
            split = EmbeddedMnist.split();
        } else if (data != null && Files.isDirectory(Path.of(data))) {
            split = IdxFolder.read(Path.of(data));
        } else {
            throw new GlassboxException(manifest + ": the model was fitted on '" + data + "', which is neither the "
                    + "embedded digits nor an existing folder (expected info \"" + DATA_KEY + "\": \"" + EMBEDDED
                    + "\" or a folder path; give --data FOLDER to run it on other data)");
        }
        if (model.provenance().trainSamples() == split.train().size()
                && !split.train().fingerprint().equals(model.provenance().dataSha256())) {
            throw new GlassboxException(manifest + ": the training data at '" + data + "' has SHA-256 "
                    + split.train().fingerprint() + " but the model was fitted on data with SHA-256 "
                    + model.provenance().dataSha256() + " (expected the same data)");
        }
        requireShape(data, split.test().shape(), model);
        return split.test();
    }

    /** The test images of the image folder an image model was fitted on. */
    private static Items ownImages(Model model, Path manifest, ImageInfo image, String data, Progress progress) {
        if (data == null || !Files.isDirectory(Path.of(data))) {
            throw new GlassboxException(manifest + ": the model was fitted on the image folder '" + data + "', which "
                    + "does not exist (give --data FOLDER to run it on other images)");
        }
        SkipLog log = SkipLog.toStandardError();
        DataLayout.Found found = DataLayout.read(Path.of(data), image.valLabels(), image.testFraction(),
                model.provenance().seed(), log);
        List<String> classes = found.train().classes();
        if (!classes.equals(image.classNames())) {
            int i = 0;
            while (i < Math.min(classes.size(), image.classNames().size()) && classes.get(i).equals(image.classNames().get(i))) i++;
            throw new GlassboxException(data + ": the training images form " + classes.size() + " classes but the "
                    + "model was fitted on " + image.classNames().size() + " (" + manifest + "); class " + i + " is '"
                    + (i < classes.size() ? classes.get(i) : "") + "' here but '"
                    + (i < image.classNames().size() ? image.classNames().get(i) : "") + "' in the model"
                    + " (expected the class folders the model was fitted on)");
        }
        return Items.of(ImageStream.open(found.test(), image.testCrop(),
                StreamOptions.of(DECODE_THREADS, model.provenance().seed()), log, progress), true);
    }

    /** The test set of an IDX folder given with {@code --data}. */
    private static Items idx(Path folder, Model model) {
        ImageSet test = IdxFolder.read(folder).test();
        requireShape(folder.toString(), test.shape(), model);
        return Items.of(test);
    }

    /** The images of an image folder given with {@code --data}, read as the model's test images were. */
    private static Items imageFolder(Path folder, Model model, Path manifest, ImageInfo image, Progress progress) {
        if (!Files.isDirectory(folder)) {
            throw new GlassboxException(folder + ": --data folder not found (expected an IDX folder or an image folder)");
        }
        if (image == null) {
            if (model.info().containsKey(ImageInfo.CLASS_NAMES)) throw noImageInfo(manifest);
            MapShape input = model.pipeline().inputShape();
            throw new GlassboxException(folder + ": the data is an image folder, RGB images of [height, width, 3], but "
                    + "the model reads " + input + " and records no image preprocessing (expected an IDX folder of "
                    + input + " images)");
        }
        SkipLog log = SkipLog.toStandardError();
        ImageFiles files;
        boolean labelled = ClassFolderTree.hasClassFolders(folder);
        if (labelled) {
            files = withModelLabels(ClassFolderTree.read(folder, log), image.classNames(), folder);
        } else {
            List<Path> images = ClassFolderTree.imagesBelow(folder, log);
            if (images.isEmpty()) {
                throw new GlassboxException(folder + ": no image files and no class folders (expected one folder per "
                        + "class of the model, or .jpg, .jpeg or .png files)");
            }
            files = new ImageFiles(folder.toString(), image.classNames(), images, new int[images.size()]);
        }
        return Items.of(ImageStream.open(files, image.testCrop(),
                StreamOptions.of(DECODE_THREADS, model.provenance().seed()), log, progress), labelled);
    }

    /** The files of a class tree labelled with the model's class indices; every class folder must be a model class. */
    private static ImageFiles withModelLabels(ImageFiles tree, List<String> modelClasses, Path folder) {
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < modelClasses.size(); c++) index.put(modelClasses.get(c), c);
        int[] labels = new int[tree.size()];
        for (int i = 0; i < tree.size(); i++) {
            String name = tree.classes().get(tree.label(i));
            Integer c = index.get(name);
            if (c == null) {
                throw new GlassboxException(folder.resolve(name) + ": class folder not among the model's "
                        + modelClasses.size() + " classes (expected folders named as the model's classes, such as "
                        + modelClasses.get(0) + ", or a folder of image files without labels)");
            }
            labels[i] = c;
        }
        return new ImageFiles(tree.name(), modelClasses, tree.files(), labels);
    }

    /**
     * Refuses data whose items are not of the model's input shape.
     *
     * @throws GlassboxException naming the data's folder, its shape and the model's
     */
    static void requireShape(String folder, MapShape data, Model model) {
        MapShape input = model.pipeline().inputShape();
        if (!data.equals(input)) {
            throw new GlassboxException(folder + ": the data's images are " + data + " but the model reads " + input
                    + " (expected data of the model's input shape)");
        }
    }

    private static GlassboxException noImageInfo(Path manifest) {
        return new GlassboxException(manifest + ": the model names its image classes but records no image "
                + "preprocessing (no info \"" + ImageInfo.RESIZE + "\" and \"" + ImageInfo.CROP + "\"; it was written "
                + "by an earlier ./glassbox imagenet): fit it again to run it on images");
    }



}
