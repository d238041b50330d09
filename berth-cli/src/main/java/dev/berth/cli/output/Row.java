package dev.berth.cli.output;

import dev.berth.cli.format.TemplateMethod;
import dev.berth.cli.format.TemplateObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a docker listing as its template sees it: the fields of docker's formatter context
 * (e.g. {@code *formatter.imageContext}), already rendered as docker renders them.
 */
public final class Row implements TemplateObject {
    private final String goType;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Row(String goType) {
        this.goType = goType;
    }

    public Row put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    @Override
    public String goType() {
        return goType;
    }

    @Override
    public boolean hasField(String name) {
        return fields.containsKey(name);
    }

    @Override
    public Object field(String name) {
        return fields.get(name);
    }

    @Override
    public Map<String, Object> jsonFields() {
        // docker's contexts marshal every method into a map: Go sorts map keys
        Map<String, Object> json = new TreeMap<>(fields);
        json.values().removeIf(v -> v instanceof TemplateMethod);
        return json;
    }
}
