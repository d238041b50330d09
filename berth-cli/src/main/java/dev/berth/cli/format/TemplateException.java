package dev.berth.cli.format;

/** A Go-template parse or execution error, worded as Go's text/template words it ("template: :1:2: …"). */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }
}
