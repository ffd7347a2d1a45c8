package org.glassbox.words;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A word and its factors, sorted by coefficient, largest first (only factors with a non-zero coefficient). */
@JsonPropertyOrder({"word", "factors"})
public record WordExplanation(String word, List<WordFactor> factors) {
    public WordExplanation {
        factors = List.copyOf(factors);
    }
}
