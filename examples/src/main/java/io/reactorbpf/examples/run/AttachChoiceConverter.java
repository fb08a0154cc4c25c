package io.reactorbpf.examples.run;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --attach PROG=KIND:TARGET}; a malformed one is a usage error. */
final class AttachChoiceConverter implements ITypeConverter<AttachChoice> {

    @Override
    public AttachChoice convert(String value) {
        try {
            return AttachChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
