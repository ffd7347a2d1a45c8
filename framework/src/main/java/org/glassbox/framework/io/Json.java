package org.glassbox.framework.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.error.GlassboxException;

/** The one Jackson configuration of Glassbox: strict reading, stable, indented writing. */
public final class Json {
    /** Fails on unknown fields; writes map entries sorted by key so equal models give equal files. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    /**
     * What a Jackson error says, for a person: the path of the value it is about when it has one
     * ({@code $.stages[0].inputShape}; {@code root} names the tree read, such as {@code $} or
     * {@code spec}), then the first line of its message, without Jackson's advice on its own
     * settings.
     */
    public static String problem(JsonProcessingException e, String root) {
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines().findFirst().orElse("");
        message = message.replaceFirst(" \\(set DeserializationConfig\\.[^)]*\\)$", "");
        return e instanceof JsonMappingException m && !m.getPath().isEmpty() ? pathOf(m, root) + ": " + message : message;
    }

    /** The path of the value a Jackson error is about, such as {@code $.stages[0].id} for {@code root} {@code $}. */
    public static String pathOf(JsonMappingException e, String root) {
        StringBuilder sb = new StringBuilder(root);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) sb.append('.').append(ref.getFieldName());
            else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
        }
        return sb.toString();
    }

    /**
     * Reads the JSON file {@code file} as the record {@code type}, strictly: not JSON, a missing or
     * null field ({@link #requireFields}), an unknown field or a value of the wrong type is one
     * {@link GlassboxException} that names the file and what is wrong, and says it is not
     * {@code what}.
     */
    public static <T extends Record> T readRecord(Path file, Class<T> type, String what) {
        try {
            JsonNode tree = MAPPER.readTree(file.toFile());
            requireFields(tree, type);
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new GlassboxException(file + ": not a readable " + what + ": " + problem(e, "$"), e);
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        } catch (GlassboxException e) {
            throw new GlassboxException(file + ": not a readable " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks, before {@code tree} is read as the record {@code type}, that it has every component of
     * the record and that none is null, and so on down through nested records and the elements of
     * lists and the values of maps (Jackson would leave a missing field null, or 0 for a number).
     * A value of the wrong JSON type is left for Jackson to report.
     *
     * @throws GlassboxException naming the first missing or null field by its path, such as
     *     {@code missing field $.stages[0].arrays (absent or null)}
     */
    public static void requireFields(JsonNode tree, Class<? extends Record> type) {
        requireFields(tree, type, "$");
    }

    private static void requireFields(JsonNode node, Type type, String path) {
        if (node == null || node.isNull()) {
            throw new GlassboxException("missing field " + path + " (absent or null)");
        }
        Class<?> raw = (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
        Type[] arguments = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (raw.isRecord() && node.isObject()) {
            for (RecordComponent c : raw.getRecordComponents()) {
                requireFields(node.get(c.getName()), c.getGenericType(), path + "." + c.getName());
            }
        } else if (List.class.isAssignableFrom(raw) && node.isArray()) {
            for (int i = 0; i < node.size(); i++) requireFields(node.get(i), arguments[0], path + "[" + i + "]");
        } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                requireFields(e.getValue(), arguments[1], path + "." + e.getKey());
            }
        }
    }
}
