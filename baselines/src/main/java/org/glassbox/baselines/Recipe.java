package org.glassbox.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.io.Json;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Everything that determines a trained baseline, in the form metrics.json writes it under each
 * baseline's {@code "recipe"}: the layers, the initialisation, the optimiser and its learning-rate
 * schedule, the batch size, the epoch limit and early-stopping patience, the validation fraction, the
 * augmentation, the seed, and the numeric setup (data type, workspaces, ND4J threads). A recipe read
 * back from that JSON ({@link #fromJson}) trains the same network to the same predictions on the same
 * data and machine ({@code RecipeTest}). {@link Recipes} has the recipes the commands use and why.
 *
 * <p>Pixels go in as the white-box model sees them, float values in [0, 1], then, with {@code input}
 * {@code standardised}, shifted and scaled per channel by the mean and standard deviation of the
 * training part's pixels (the part the network learns from; never the validation or test images).
 *
 * @param name the model's name in the comparison, such as {@code lenet5}
 * @param layers the layers in order, the last one the output layer
 * @param initialisation {@code he_normal}: weights ~ N(0, 2 / fan_in), biases 0 (He et al. 2015)
 * @param optimiser the update rule
 * @param schedule the learning rate of each epoch
 * @param batchSize training images per update
 * @param maxEpochs the most passes over the training part
 * @param patience stop after this many epochs in a row without a new best validation accuracy
 * @param validationFraction the stratified fraction of the training set held out for early stopping
 * @param input {@code unit}: the pixels as they are, in [0, 1]; {@code standardised}: per channel, minus
 *     the training part's mean pixel and divided by its standard deviation (LeCun, Bottou, Orr and
 *     Mueller 1998, "Efficient BackProp", section 4.3); absent in JSON means {@code unit}
 * @param augmentation what the training images are each epoch
 * @param seed the seed of the initial weights, the validation split, the batch order and the augmentation
 * @param dataType {@code float32}
 * @param workspaces Deeplearning4j's workspace mode for training and inference: {@code enabled}
 * @param threads ND4J's OpenMP threads while the baselines train and while every model's throughput is
 *     measured (OpenBLAS keeps its own threads)
 */
public record Recipe(String name, List<LayerSpec> layers, String initialisation, Optimiser optimiser, Schedule schedule,
                     @JsonProperty("batch_size") int batchSize,
                     @JsonProperty("max_epochs") int maxEpochs,
                     int patience,
                     @JsonProperty("validation_fraction") double validationFraction,
                     String input,
                     Augmentation augmentation,
                     long seed,
                     @JsonProperty("data_type") String dataType,
                     String workspaces,
                     int threads) {
    public static final String HE_NORMAL = "he_normal";
    public static final String UNIT = "unit";
    public static final String STANDARDISED = "standardised";

    public Recipe {
        if (name == null || name.isBlank()) throw new InvalidParameterException("name", name, "a non-empty model name");
        if (layers == null || layers.isEmpty()) throw new InvalidParameterException("layers", layers, "at least the output layer");
        layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) {
            boolean last = i == layers.size() - 1;
            if (last != layers.get(i).type().equals(LayerSpec.OUTPUT)) {
                throw new InvalidParameterException("layers", layers.get(i).describe() + " at position " + (i + 1),
                        "one output layer, the last");
            }
        }
        if (!HE_NORMAL.equals(initialisation)) throw new InvalidParameterException("initialisation", initialisation, HE_NORMAL);
        if (optimiser == null) throw new InvalidParameterException("optimiser", null, "an optimiser");
        if (schedule == null) throw new InvalidParameterException("schedule", null, "a learning-rate schedule");
        if (batchSize < 1) throw new InvalidParameterException("batch_size", batchSize, "at least 1");
        if (maxEpochs < 1) throw new InvalidParameterException("max_epochs", maxEpochs, "at least 1");
        if (patience < 1) throw new InvalidParameterException("patience", patience, "at least 1");
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new InvalidParameterException("validation_fraction", validationFraction, "a fraction in (0, 1)");
        }
        if (input == null) input = UNIT; // recipes written before the field existed
        if (!UNIT.equals(input) && !STANDARDISED.equals(input)) {
            throw new InvalidParameterException("input", input, UNIT + " or " + STANDARDISED);
        }
        if (augmentation == null) throw new InvalidParameterException("augmentation", null, "an augmentation (none: crops \"none\")");
        if (!"float32".equals(dataType)) throw new InvalidParameterException("data_type", dataType, "float32");
        if (!"enabled".equals(workspaces)) throw new InvalidParameterException("workspaces", workspaces, "enabled");
        if (threads < 1) throw new InvalidParameterException("threads", threads, "at least 1");
    }

    /**
     * Adam (Kingma and Ba 2015, "Adam: a method for stochastic optimization", ICLR).
     *
     * @param name {@code adam}
     * @param learningRate the step size of the first epoch (the schedule scales it)
     * @param beta1 the decay of the first-moment estimate
     * @param beta2 the decay of the second-moment estimate
     * @param epsilon added to the root of the second moment
     */
    public record Optimiser(String name, @JsonProperty("learning_rate") double learningRate, double beta1, double beta2,
                            double epsilon) {
        public Optimiser {
            if (!"adam".equals(name)) throw new InvalidParameterException("optimiser name", name, "adam");
            if (!(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new InvalidParameterException("learning_rate", learningRate, "a finite positive step size");
            }
            if (!(beta1 >= 0 && beta1 < 1)) throw new InvalidParameterException("beta1", beta1, "in [0, 1)");
            if (!(beta2 >= 0 && beta2 < 1)) throw new InvalidParameterException("beta2", beta2, "in [0, 1)");
            if (!(epsilon > 0 && Double.isFinite(epsilon))) throw new InvalidParameterException("epsilon", epsilon, "a finite positive number");
        }

        /** Adam with the paper's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) and the given step size. */
        public static Optimiser adam(double learningRate) {
            return new Optimiser("adam", learningRate, 0.9, 0.999, 1e-8);
        }
    }

    /**
     * The learning rate of epoch e (1-based): {@code learning_rate * factor^floor((e - 1) / every_epochs)}.
     * {@code factor} 1 keeps it constant.
     *
     * @param type {@code step}
     * @param factor the multiplier applied every {@code everyEpochs} epochs, in (0, 1]
     * @param everyEpochs epochs between two multiplications
     */
    public record Schedule(String type, double factor, @JsonProperty("every_epochs") int everyEpochs) {
        public Schedule {
            if (!"step".equals(type)) throw new InvalidParameterException("schedule type", type, "step");
            if (!(factor > 0 && factor <= 1)) throw new InvalidParameterException("schedule factor", factor, "in (0, 1]");
            if (everyEpochs < 1) throw new InvalidParameterException("schedule every_epochs", everyEpochs, "at least 1");
        }

        /** A constant learning rate. */
        public static Schedule constant() {
            return new Schedule("step", 1.0, 1);
        }

        /** The rate of epoch {@code epoch} (1-based) for the initial rate {@code initial}. */
        public double rate(double initial, int epoch) {
            return initial * Math.pow(factor, (epoch - 1) / everyEpochs);
        }
    }

    /**
     * What the network trains on each epoch.
     *
     * @param crops {@code none}: the training images as they are; {@code fixed}: the one random crop of
     *     each training image that the white-box stack's training sees, the same every epoch;
     *     {@code per_epoch}: epoch 1 sees those crops, every later epoch a new random crop of each
     *     image, drawn the same way (same scaling, same window size) from another seed
     * @param flips whether each training image is mirrored left-right with probability 1/2, drawn
     *     anew every epoch
     * @param shifts the training part also holds copies of its images moved by 1 to {@code shifts}
     *     pixels up, down, left and right (4 x shifts copies, blank edges filled with 0), the copies the
     *     white-box readouts learn from with {@code mnist --shifts}; 0 for none (absent in JSON means 0)
     * @param translate each training image is moved by whole pixels, dx and dy each drawn uniformly
     *     from [-translate, translate], anew every epoch (blank edges filled with 0), after the flip if
     *     any; 0 for none (absent in JSON means 0)
     */
    public record Augmentation(String crops, boolean flips, Integer shifts, Integer translate) {
        public static final String NONE = "none";
        public static final String FIXED = "fixed";
        public static final String PER_EPOCH = "per_epoch";

        public Augmentation {
            if (!List.of(NONE, FIXED, PER_EPOCH).contains(crops)) {
                throw new InvalidParameterException("augmentation crops", crops, "none, fixed or per_epoch");
            }
            if (shifts == null) shifts = 0;
            if (shifts < 0) throw new InvalidParameterException("augmentation shifts", shifts, "at least 0");
            if (translate == null) translate = 0;
            if (translate < 0) throw new InvalidParameterException("augmentation translate", translate, "at least 0");
        }

        /** Crops and flips without shifted copies or translations. */
        public Augmentation(String crops, boolean flips) {
            this(crops, flips, 0, 0);
        }

        /** Whether the training images are drawn anew every epoch (flips or translations). */
        public boolean redrawnEachEpoch() {
            return flips || translate > 0;
        }

        /** No augmentation. */
        public static Augmentation none() {
            return new Augmentation(NONE, false);
        }
    }

    /** A copy with another seed. */
    public Recipe withSeed(long newSeed) {
        return new Recipe(name, layers, initialisation, optimiser, schedule, batchSize, maxEpochs, patience,
                validationFraction, input, augmentation, newSeed, dataType, workspaces, threads);
    }

    /** A copy with another epoch limit. */
    public Recipe withMaxEpochs(int newMaxEpochs) {
        return new Recipe(name, layers, initialisation, optimiser, schedule, batchSize, newMaxEpochs, patience,
                validationFraction, input, augmentation, seed, dataType, workspaces, threads);
    }

    /** A copy with another patience. */
    public Recipe withPatience(int newPatience) {
        return new Recipe(name, layers, initialisation, optimiser, schedule, batchSize, maxEpochs, newPatience,
                validationFraction, input, augmentation, seed, dataType, workspaces, threads);
    }

    /** A copy with another batch size. */
    public Recipe withBatchSize(int newBatchSize) {
        return new Recipe(name, layers, initialisation, optimiser, schedule, newBatchSize, maxEpochs, patience,
                validationFraction, input, augmentation, seed, dataType, workspaces, threads);
    }

    /** A copy with another input scaling ({@link #UNIT} or {@link #STANDARDISED}). */
    public Recipe withInput(String newInput) {
        return new Recipe(name, layers, initialisation, optimiser, schedule, batchSize, maxEpochs, patience,
                validationFraction, newInput, augmentation, seed, dataType, workspaces, threads);
    }

    /** A copy whose training part also holds the images moved by 1 to {@code shifts} pixels (see {@link Augmentation}). */
    public Recipe withShifts(int shifts) {
        return withAugmentation(name, new Augmentation(augmentation.crops(), augmentation.flips(), shifts,
                augmentation.translate()));
    }

    /** A copy with another name and augmentation. */
    public Recipe withAugmentation(String newName, Augmentation newAugmentation) {
        return new Recipe(newName, layers, initialisation, optimiser, schedule, batchSize, maxEpochs, patience,
                validationFraction, input, newAugmentation, seed, dataType, workspaces, threads);
    }

    /** This recipe as the JSON tree metrics.json holds. */
    public JsonNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    /** The recipe a {@link #toJson} tree describes. */
    public static Recipe fromJson(JsonNode json) {
        try {
            return Json.MAPPER.treeToValue(json, Recipe.class);
        } catch (JsonProcessingException e) {
            throw new GlassboxException("not a baseline recipe: " + e.getOriginalMessage(), e);
        }
    }

    /** The number of classes the output layer scores. */
    public int classes() {
        return layers.get(layers.size() - 1).size();
    }

    /** One line: the layers, such as {@code conv 5x5x20, max pool 2x2, ..., output 10}. */
    public String describeLayers() {
        return String.join(", ", layers.stream().map(LayerSpec::describe).toList());
    }

    /**
     * The Deeplearning4j configuration for images of {@code input} shape, given as rows
     * {@code [n, channels * height * width]} in channel-major (NCHW) order.
     *
     * @throws GlassboxException if a convolution or pooling window does not fit the map it gets
     */
    public MultiLayerConfiguration network(MapShape input) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(optimiser.learningRate(), optimiser.beta1(), optimiser.beta2(), optimiser.epsilon()))
                .list();
        boolean spatial = layers.get(0).type().equals(LayerSpec.CONV) || layers.get(0).type().equals(LayerSpec.MAX_POOL);
        int h = input.gridH();
        int w = input.gridW();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            switch (l.type()) {
                case LayerSpec.CONV, LayerSpec.MAX_POOL -> {
                    if (!spatial) {
                        throw new GlassboxException(name + ": layer " + (i + 1) + " (" + l.describe()
                                + ") follows a dense layer (expected every conv and pooling layer before the dense ones)");
                    }
                    int pad = l.type().equals(LayerSpec.CONV) ? l.padding() : 0;
                    if (h + 2 * pad < l.kernel() || w + 2 * pad < l.kernel()) {
                        throw new GlassboxException(name + ": layer " + (i + 1) + " (" + l.describe() + ") gets maps of "
                                + h + " x " + w + " pixels, smaller than its window (expected larger images)");
                    }
                    h = (h + 2 * pad - l.kernel()) / l.stride() + 1;
                    w = (w + 2 * pad - l.kernel()) / l.stride() + 1;
                    if (l.type().equals(LayerSpec.CONV)) {
                        list.layer(new ConvolutionLayer.Builder(l.kernel(), l.kernel()).nOut(l.size())
                                .stride(l.stride(), l.stride()).padding(pad, pad).activation(Activation.RELU).build());
                    } else {
                        list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(l.kernel(), l.kernel())
                                .stride(l.stride(), l.stride()).build());
                    }
                }
                case LayerSpec.DENSE -> {
                    DenseLayer.Builder dense = new DenseLayer.Builder().nOut(l.size()).activation(Activation.RELU);
                    if (l.dropout() != null) dense.dropOut(1 - l.dropout());
                    list.layer(dense.build());
                }
                default -> {
                    OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(l.size())
                            .activation(Activation.SOFTMAX);
                    if (l.dropout() != null) out.dropOut(1 - l.dropout());
                    list.layer(out.build());
                }
            }
            if (!l.type().equals(LayerSpec.CONV) && !l.type().equals(LayerSpec.MAX_POOL)) spatial = false;
        }
        list.setInputType(layers.get(0).type().equals(LayerSpec.CONV) || layers.get(0).type().equals(LayerSpec.MAX_POOL)
                ? InputType.convolutionalFlat(input.gridH(), input.gridW(), input.channels())
                : InputType.feedForward(input.size()));
        return list.build();
    }
}
