package org.glassbox.topology;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How strongly each pair of pixels depends on each other, measured on training images: the
 * partial correlation of the two pixels given all the others, {@code -P_ij / sqrt(P_ii P_jj)}
 * with {@code P} the inverse of the pixels' covariance (ridge {@link #RIDGE} times its mean
 * variance). Plain correlation is high between any two pixels that the same strokes cover, far
 * apart or not; the partial correlation keeps what the rest of the image does not explain, which
 * in images is mostly the four nearest pixels (on the embedded digits 96% of each pixel's true
 * 4-neighbours are among its 4 highest partial correlations, against 83% for plain correlation).
 *
 * <p>Only pixels that vary in the training images ({@link #MIN_STD}) can be placed; the others are listed in
 * {@link #constant()} and left out of {@link #scores()}.
 *
 * @param varying the pixel indices (row-major, of the grid as given) that vary, ascending
 * @param constant the pixel indices that vary too little (or never), ascending
 * @param scores {@code [varying.length][varying.length]} partial correlations, 0 on the diagonal
 */
public record PixelDependence(int[] varying, int[] constant, double[][] scores) {
    /** The ridge added to the covariance before it is inverted, relative to the mean pixel variance. */
    public static final double RIDGE = 1e-3;
    /**
     * A pixel whose standard deviation over the training images is at most this (2% of the pixel
     * range [0, 1]) counts as constant: on the embedded digits such a pixel is drawn in about 10
     * of 8,000 images or fewer, too few to tell its neighbours, and two such pixels that happen to
     * be drawn in the same image look like neighbours wherever they are. 579 of the 784 pixels of
     * the embedded training digits vary by this measure, 669 have any variance at all.
     */
    public static final double MIN_STD = 0.02;
    /** At least this many pixels must vary for a layout to be recovered. */
    public static final int MIN_VARYING = 9;

    /**
     * Measures the images {@code [n, height, width, channels]} (channels are averaged to grey).
     *
     * @throws GlassboxException when fewer than two images or fewer than {@link #MIN_VARYING} pixels vary
     */
    public static PixelDependence measure(INDArray images, String name) {
        if (images.rank() != 4) {
            throw new GlassboxException(name + ": expected images [samples, height, width, channels]");
        }
        int n = (int) images.size(0);
        int pixels = (int) (images.size(1) * images.size(2));
        if (n < 2) throw new GlassboxException(name + ": " + n + " image(s); at least 2 are needed to measure pixels");
        INDArray grey = images.castTo(DataType.DOUBLE).mean(3).reshape(n, pixels);
        double[] variance = grey.var(false, 0).toDoubleVector();
        double floor = MIN_STD * MIN_STD;
        int count = 0;
        for (double v : variance) if (v > floor) count++;
        int[] varying = new int[count];
        int[] constant = new int[pixels - count];
        for (int j = 0, a = 0, b = 0; j < pixels; j++) {
            if (variance[j] > floor) varying[a++] = j;
            else constant[b++] = j;
        }
        if (count < MIN_VARYING) {
            throw new GlassboxException(name + ": only " + count + " of " + pixels + " pixels vary across the "
                    + n + " training images (standard deviation above " + MIN_STD + "); at least " + MIN_VARYING + " must vary to recover a layout "
                    + "(constant images carry no information about which pixels are neighbours)");
        }
        INDArray x = grey.getColumns(varying);
        INDArray centred = x.subRowVector(x.mean(0));
        INDArray covariance = centred.transpose().mmul(centred).divi(n - 1);
        double[][] cov = covariance.toDoubleMatrix();
        double meanVariance = 0;
        for (int i = 0; i < count; i++) meanVariance += cov[i][i];
        meanVariance /= count;
        DMatrixRMaj c = new DMatrixRMaj(cov);
        for (int i = 0; i < count; i++) c.add(i, i, RIDGE * meanVariance);
        DMatrixRMaj precision = new DMatrixRMaj(count, count);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(count);
        if (!solver.setA(c)) throw new GlassboxException(name + ": the pixel covariance cannot be inverted");
        solver.invert(precision);
        double[][] scores = new double[count][count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                if (i != j) scores[i][j] = -precision.get(i, j) / Math.sqrt(precision.get(i, i) * precision.get(j, j));
            }
        }
        return new PixelDependence(varying, constant, scores);
    }

    /** The number of pixels that vary. */
    public int size() {
        return varying.length;
    }
}
