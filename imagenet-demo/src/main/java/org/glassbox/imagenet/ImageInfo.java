package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.framework.error.GlassboxException;

/**
 * What {@code ./glassbox imagenet} records in a model's {@code info} about its images, so that a
 * command can read images exactly as the model's test images were read: the class names, the
 * shorter side after scaling and the side of the centred square crop ({@link #testCrop()}), and how
 * the data folder was split into training and test images (the split's seed is the provenance's
 * seed). The entries are strings:
 * {@code "class_names": "n01440764,n01443537"}, {@code "resize": "36"}, {@code "crop": "32"},
 * {@code "test_fraction": "0.2"} and, when a label file was given, {@code "val_labels": PATH}.
 *
 * @param classNames the class names; label c means {@code classNames.get(c)}
 * @param shorterSide the shorter side of every image after scaling
 * @param crop the side of the square crop
 * @param testFraction the test share of each class when the data folder is a class tree that is split
 * @param valLabels the label file of a flat {@code val/} folder that was given, or null
 */
public record ImageInfo(List<String> classNames, int shorterSide, int crop, double testFraction, Path valLabels) {
    /** The info key of the comma-separated class names. */
    public static final String CLASS_NAMES = "class_names";
    /** The info key of the shorter side after scaling. */
    public static final String RESIZE = "resize";
    /** The info key of the crop's side. */
    public static final String CROP = "crop";
    /** The info key of the test fraction. */
    public static final String TEST_FRACTION = "test_fraction";
    /** The info key of the validation label file. */
    public static final String VAL_LABELS = "val_labels";

    public ImageInfo {
        classNames = List.copyOf(classNames);
    }

    /** The info entries of this record, in the order of the keys above; no {@code val_labels} when it is null. */
    public Map<String, String> entries() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put(CLASS_NAMES, String.join(",", classNames));
        info.put(RESIZE, String.valueOf(shorterSide));
        info.put(CROP, String.valueOf(crop));
        info.put(TEST_FRACTION, String.valueOf(testFraction));
        if (valLabels != null) info.put(VAL_LABELS, valLabels.toAbsolutePath().normalize().toString());
        return info;
    }

    /** How a test image is read: scaled to the shorter side, then the centred crop. */
    public Preprocess testCrop() {
        return new Preprocess(shorterSide, crop, crop, Preprocess.Crop.CENTRE);
    }

    /**
     * The image info in a model's {@code info}; empty when it has no {@value #RESIZE} entry (a model
     * not fitted on image files).
     *
     * @param where the file the info was read from, for messages
     * @throws GlassboxException naming {@code where} when the entries are incomplete or not numbers
     */
    public static Optional<ImageInfo> of(Map<String, String> info, Path where) {
        if (!info.containsKey(RESIZE)) return Optional.empty();
        for (String key : List.of(CLASS_NAMES, CROP, TEST_FRACTION)) {
            if (!info.containsKey(key)) {
                throw new GlassboxException(where + ": info \"" + RESIZE + "\" without \"" + key + "\" (expected "
                        + "the entries " + CLASS_NAMES + ", " + RESIZE + ", " + CROP + ", " + TEST_FRACTION
                        + " that ./glassbox imagenet writes)");
            }
        }
        try {
            String valLabels = info.get(VAL_LABELS);
            return Optional.of(new ImageInfo(Arrays.asList(info.get(CLASS_NAMES).split(",", -1)),
                    Integer.parseInt(info.get(RESIZE)), Integer.parseInt(info.get(CROP)),
                    Double.parseDouble(info.get(TEST_FRACTION)), valLabels == null ? null : Path.of(valLabels)));
        } catch (NumberFormatException e) {
            throw new GlassboxException(where + ": info \"" + RESIZE + "\", \"" + CROP + "\" or \"" + TEST_FRACTION
                    + "\" is not a number (" + e.getMessage() + ")", e);
        }
    }
}
