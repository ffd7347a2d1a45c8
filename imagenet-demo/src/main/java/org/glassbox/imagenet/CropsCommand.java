package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.glassbox.framework.io.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox crops}: random square crops of photographs, one class per photograph, split by
 * place into train/ and val/ class trees ({@link PhotoCrops}).
 */
@Command(name = "crops", mixinStandardHelpOptions = true,
        description = "Cut random square crops from photographs (one class per photograph) for the imagenet command: "
                + "training crops from the left part of each photograph into OUT/train/, test crops from the right "
                + "part into OUT/val/, so that no test crop overlaps a training crop; every place in OUT/crops.csv.")
public final class CropsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTO", description = "JPEG or PNG photographs, one class each.")
    List<Path> photos;

    @Option(names = "--out", required = true, description = "The folder to write (train/ and val/ class trees, crops.csv).")
    Path out;

    @Option(names = "--per-photo", defaultValue = "100", description = "Training crops per photograph (all crops "
            + "with --test-fraction 0; default: ${DEFAULT-VALUE}).")
    int perPhoto;

    @Option(names = "--test-per-photo", defaultValue = "25", description = "Test crops per photograph "
            + "(default: ${DEFAULT-VALUE}).")
    int testPerPhoto;

    @Option(names = "--test-fraction", defaultValue = "0.25", description = "The right part of each photograph's "
            + "width that test crops come from; 0: one class tree OUT/<photo>/ without a split "
            + "(default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--size", defaultValue = "48", description = "Side of each crop in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the crop places (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        PhotoCrops.Plan plan = new PhotoCrops.Plan(perPhoto, testPerPhoto, size, testFraction, seed);
        int n;
        try (RunFolder folder = RunFolder.open(out, "crops", force, photos)) {
            n = PhotoCrops.write(photos, folder.staging(), plan);
            folder.commit();
        }
        spec.commandLine().getOut().printf("wrote %d crops of %d x %d pixels from %d photographs into %s%n", n, size, size,
                photos.size(), out);
        return 0;
    }
}
