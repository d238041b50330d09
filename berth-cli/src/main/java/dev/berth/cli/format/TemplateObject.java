package dev.berth.cli.format;

import java.util.Map;

/**
 * A value with named fields for templates, standing in for the Go structs docker's formatters
 * execute their templates on (e.g. {@code *formatter.imageContext}).
 */
public interface TemplateObject {
    /** The Go type name that errors print, e.g. {@code *formatter.imageContext}. */
    String goType();

    /** Whether the field exists. */
    boolean hasField(String name);

    /** The field's value (a String, Number, Boolean, List, Map, TemplateObject or null). */
    Object field(String name);

    /** What {@code {{json .}}} prints: the fields by name (docker sorts them). */
    Map<String, Object> jsonFields();
}
