package io.reactorbpf.examples.run;

import picocli.CommandLine.ITypeConverter;

/** Reads {@code --set NAME=VALUE}; a malformed one is a usage error. */
final class AssignmentConverter implements ITypeConverter<GlobalAssignment> {

    @Override
    public GlobalAssignment convert(String value) {
        return GlobalAssignment.parse(value);
    }
}
