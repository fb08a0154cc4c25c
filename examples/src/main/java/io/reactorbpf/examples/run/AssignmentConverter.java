package io.reactorbpf.examples.run;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --set NAME=VALUE}; a malformed one is a usage error. */
final class AssignmentConverter implements ITypeConverter<GlobalAssignment> {

    @Override
    public GlobalAssignment convert(String value) {
        try {
            return GlobalAssignment.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
