package dev.berth.runtime.cli;

/**
 * Where {@code spec} and {@code features} get their documents. The lead wires this to berth's
 * shared codecs ({@code DefaultSpec}, {@code FeaturesJson}); the CLI only writes the text out.
 */
public interface SpecSource {

    /** The starter config.json that {@code spec} writes, rootless or not. */
    String defaultSpecJson(boolean rootless);

    /** The document {@code features} prints (runc's features.Features JSON). */
    String featuresJson();
}
