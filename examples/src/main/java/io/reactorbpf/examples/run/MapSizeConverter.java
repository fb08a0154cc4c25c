package io.reactorbpf.examples.run;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --max-entries MAP=N} and {@code --value-size MAP=N}; a malformed one is a usage error. */
final class MapSizeConverter implements ITypeConverter<MapSize> {

    @Override
    public MapSize convert(String value) {
        try {
            return MapSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
