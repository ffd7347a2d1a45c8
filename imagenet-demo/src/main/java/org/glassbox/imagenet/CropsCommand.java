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

/** {@code ./glassbox crops}: a one-folder-per-photograph class tree of random crops ({@link PhotoCrops}). */
@Command(name = "crops", mixinStandardHelpOptions = true,
        description = "Cut random square crops from photographs into a class tree (one class per photograph) "
                + "for ./glassbox imagenet.")
public final class CropsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTO", description = "JPEG or PNG photographs, one class each.")
    List<Path> photos;

    @Option(names = "--out", required = true, description = "The class tree to write.")
    Path out;

    @Option(names = "--per-photo", defaultValue = "100", description = "Crops per photograph (default: ${DEFAULT-VALUE}).")
    int perPhoto;

    @Option(names = "--size", defaultValue = "48", description = "Side of each crop in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the crop places (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        int n;
        try (RunFolder folder = RunFolder.open(out, "crops", force, photos)) {
            n = PhotoCrops.write(photos, folder.staging(), perPhoto, size, seed);
            folder.commit();
        }
        spec.commandLine().getOut().printf("wrote %d crops of %d x %d pixels from %d photographs into %s%n", n, size, size,
                photos.size(), out);
        return 0;
    }
}
