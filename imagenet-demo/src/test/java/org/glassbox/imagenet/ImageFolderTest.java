package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image folder read into memory: the class tree's split, the images' size, each pixel its class's colour. */
class ImageFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aClassTreeBecomesTrainAndTestImagesOfItsColours() {
        TestImages.classTree(tmp, 5, 5, 5);
        TrainTest split = ImageFolder.read(tmp, new Preprocess(16, 12, 12, Preprocess.Crop.CENTRE), 0.4, 3);
        assertEquals(9, split.train().size());
        assertEquals(6, split.test().size());
        assertEquals(3, split.train().classes());
        assertArrayEquals(new int[] {2, 2, 2}, split.test().classCounts());
        for (ImageSet set : new ImageSet[] {split.train(), split.test()}) {
            assertArrayEquals(new long[] {set.size(), 12, 12, 3}, set.images().shape());
            for (int i = 0; i < set.size(); i++) {
                int colour = TestImages.CLASS_COLOURS[set.labels()[i]];
                float[] pixel = set.images().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(5), org.nd4j.linalg.indexing.NDArrayIndex.point(7),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector();
                assertArrayEquals(new float[] {(colour >> 16 & 255) / 255f, (colour >> 8 & 255) / 255f, (colour & 255) / 255f},
                        pixel, 1e-6f, "image " + i);
            }
        }
    }
}
