package dev.berth.cli.format;

import java.util.List;

/**
 * A field of a {@link TemplateObject} that takes arguments, as Go methods do in templates
 * (docker's {@code {{.Label "com.example"}}} on a container row). JSON leaves it out.
 */
@FunctionalInterface
public interface TemplateMethod {
    /** Calls it; a {@link TemplateException} message is wrapped as Go wraps a method's error. */
    Object call(List<Object> args);

    /** A method of one string argument, with Go's arity error. */
    static TemplateMethod ofString(String name, java.util.function.Function<String, Object> body) {
        return args -> {
            if (args.size() != 1) {
                throw new TemplateException("wrong number of args for " + name + ": want 1 got " + args.size());
            }
            return body.apply(GoValues.print(args.getFirst()));
        };
    }
}
