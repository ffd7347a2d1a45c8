package org.glassbox.words;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One factor of one word: its id, the word's (non-negative) coefficient on it, and the factor's
 * label, its top words.
 */
@JsonPropertyOrder({"id", "coefficient", "top_words"})
public record WordFactor(String id, double coefficient, @JsonProperty("top_words") List<String> topWords) {
    public WordFactor {
        topWords = List.copyOf(topWords);
    }
}
