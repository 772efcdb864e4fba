namespace Conv.Notebook;

/// <summary>
/// Where each padding mode reads from, and how much padding it allows, shared by
/// <see cref="Padding.Pad"/> and the padding modes of convolution.
/// </summary>
internal static class PadRules
{
    /// <summary>Whether one side's padding of one dimension is within the mode's limit; <see cref="Check"/> says why not.</summary>
    public static bool Allows(PaddingMode mode, int pad, int size) => pad >= 0 && mode switch
    {
        PaddingMode.Reflect => pad < size,
        PaddingMode.Circular or PaddingMode.Symmetric => pad <= size,
        PaddingMode.Zeros or PaddingMode.Replicate => true,
        _ => false,
    };

    /// <summary>Checks one side's padding of one dimension against the mode's limit (<see cref="Allows"/>), with a message that names it.</summary>
    public static void Check(PaddingMode mode, int pad, int size, string paramName, string padText, string dimText)
    {
        if (Allows(mode, pad, size)) return;
        if (pad < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, pad, $"Padding must not be negative, but {padText} is {pad}.");
        }
        throw mode switch
        {
            PaddingMode.Reflect => new ArgumentOutOfRangeException(paramName, pad,
                $"Reflect padding {pad} ({padText}) must be less than the input {dimText} {size}: reflection does not repeat the edge, so it can mirror at most {size - 1} elements."),
            PaddingMode.Circular => new ArgumentOutOfRangeException(paramName, pad,
                $"Circular padding {pad} ({padText}) must be at most the input {dimText} {size}: it would wrap around more than once."),
            PaddingMode.Symmetric => new ArgumentOutOfRangeException(paramName, pad,
                $"Symmetric padding {pad} ({padText}) must be at most the input {dimText} {size}: it would mirror more than the whole dimension."),
            _ => new ArgumentOutOfRangeException(nameof(mode), mode,
                $"The padding mode must be one of {string.Join(", ", Enum.GetNames<PaddingMode>())}, but it is {(int)mode}."),
        };
    }

    /// <summary>
    /// For each index of the padded dimension, the index of the input it copies, or -1 where the
    /// mode writes the constant. Valid for paddings that passed <see cref="Check"/>.
    /// </summary>
    public static int[] SourceMap(PaddingMode mode, int size, int before, int after)
    {
        var map = new int[before + size + after];
        FillSourceMap(map, mode, size, before);
        return map;
    }

    /// <summary>Writes <see cref="SourceMap"/> into <paramref name="map"/>, whose length is the padded size.</summary>
    public static void FillSourceMap(Span<int> map, PaddingMode mode, int size, int before)
    {
        for (int j = 0; j < map.Length; j++)
        {
            int i = j - before;
            map[j] = i >= 0 && i < size ? i : mode switch
            {
                PaddingMode.Zeros => -1,
                PaddingMode.Reflect => i < 0 ? -i : 2 * (size - 1) - i,
                PaddingMode.Replicate => i < 0 ? 0 : size - 1,
                PaddingMode.Circular => i < 0 ? i + size : i - size,
                PaddingMode.Symmetric => i < 0 ? -i - 1 : 2 * size - 1 - i,
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode."),
            };
        }
    }

    /// <summary>The everyday name of a dimension counted from the end: width, height, then its index.</summary>
    public static string DimName(int dim, int rank) =>
        dim == rank - 1 ? "width" : dim == rank - 2 ? "height" : $"dimension {dim}, of size";
}
