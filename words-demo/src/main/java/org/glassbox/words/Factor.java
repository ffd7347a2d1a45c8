package org.glassbox.words;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A learned factor: its atom id ({@code W/a17}), the fraction of the vocabulary whose code uses it
 * (non-zero coefficient), and its label: the words with the largest coefficients on it, largest
 * first, with those coefficients.
 */
@JsonPropertyOrder({"id", "usage", "top_words", "top_coefficients"})
public record Factor(String id, double usage, @JsonProperty("top_words") List<String> topWords,
        @JsonProperty("top_coefficients") List<Double> topCoefficients) {
    public Factor {
        topWords = List.copyOf(topWords);
        topCoefficients = List.copyOf(topCoefficients);
    }
}
