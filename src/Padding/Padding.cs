namespace Conv.Notebook;

/// <summary>
/// Padding of tensors in every <see cref="PaddingMode"/>, with <c>torch.nn.functional.pad</c>'s
/// argument order.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
/// Tensor y = Padding.Pad(x, [1, 1, 1, 1], PaddingMode.Reflect);
/// // [[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]
/// </code>
/// </example>
public static class Padding
{
    /// <summary>
    /// Pads the last dimensions of <paramref name="input"/>, as <c>F.pad(input, pads, mode, value)</c>.
    /// </summary>
    /// <param name="input">A tensor of any rank.</param>
    /// <param name="pads">
    /// Pairs of (before, after) counts, starting from the last dimension: <c>[left, right]</c> pads the width,
    /// <c>[left, right, top, bottom]</c> the width and the height, and so on, one pair per padded dimension.
    /// </param>
    /// <param name="mode">How to fill the border; see <see cref="PaddingMode"/>.</param>
    /// <param name="value">The fill value of <see cref="PaddingMode.Zeros"/>; the other modes ignore it.</param>
    /// <returns>A new tensor, larger by the padding in each padded dimension.</returns>
    /// <exception cref="ArgumentException">The pads are not whole pairs or more pairs than dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A pad is negative or too large for its mode.</exception>
    /// <example><code>Tensor padded = Padding.Pad(image, [2, 2, 1, 1]); // zeros: 2 left and right, 1 above and below</code></example>
    public static Tensor Pad(Tensor input, int[] pads, PaddingMode mode = PaddingMode.Zeros, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pads);
        ReadOnlySpan<int> shape = input.Dims;
        int rank = shape.Length;
        if (pads.Length == 0 || pads.Length % 2 != 0 || pads.Length > 2 * rank)
        {
            throw new ArgumentException(
                $"The pads must be (before, after) pairs, one pair per padded dimension from the last, so 2 to {2 * rank} entries " +
                $"for an input of shape {Tensor.ShapeText(shape)}; but pads has {pads.Length}.",
                nameof(pads));
        }
        int padded = pads.Length / 2;
        var outShape = new long[rank];
        for (int d = 0; d < rank; d++) outShape[d] = shape[d];
        for (int p = 0; p < padded; p++)
        {
            int d = rank - 1 - p;
            string dimName = PadRules.DimName(d, rank);
            PadRules.Check(mode, pads[2 * p], shape[d], nameof(pads), $"pads[{2 * p}]", dimName);
            PadRules.Check(mode, pads[2 * p + 1], shape[d], nameof(pads), $"pads[{2 * p + 1}]", dimName);
            outShape[d] = (long)shape[d] + pads[2 * p] + pads[2 * p + 1];
        }
        int[] resultShape = Guard.ResultShape(outShape, nameof(pads), "padding");

        // The padded dimensions are the last ones; everything before them is copied block by block.
        int first = rank - padded;
        var maps = new int[padded][];
        var befores = new int[padded];
        for (int p = 0; p < padded; p++)
        {
            int pair = rank - 1 - (first + p);
            befores[p] = pads[2 * pair];
            maps[p] = PadRules.SourceMap(mode, shape[first + p], befores[p], pads[2 * pair + 1]);
        }
        int blocks = 1, inBlock = 1, outBlock = 1;
        for (int d = 0; d < first; d++) blocks *= shape[d];
        for (int d = first; d < rank; d++)
        {
            inBlock *= shape[d];
            outBlock *= resultShape[d];
        }

        // Every element is written below (copied, mirrored or filled), so the array need not be zeroed first.
        float[] output = GC.AllocateUninitializedArray<float>(checked(blocks * outBlock));
        var job = new PadJob(input.Span, output, maps, befores, shape[first..].ToArray(), resultShape[first..], value);
        for (int b = 0; b < blocks; b++)
        {
            job.Fill(0, b * inBlock, b * outBlock, constant: false);
        }
        return Tensor.Wrap(resultShape, output);
    }

    /// <summary>
    /// The heart of every padding mode: for each position of a padded dimension, the input index it copies,
    /// or −1 where <see cref="PaddingMode.Zeros"/> writes its constant. <see cref="Pad"/> applies this map to
    /// each padded dimension in turn.
    /// </summary>
    /// <param name="size">The size of the dimension, at least 1.</param>
    /// <param name="before">Padding before the first element.</param>
    /// <param name="after">Padding after the last element.</param>
    /// <param name="mode">The padding mode.</param>
    /// <example><code>Padding.SourceIndices(3, 2, 2, PaddingMode.Reflect) // [2, 1, 0, 1, 2, 1, 0]</code></example>
    public static int[] SourceIndices(int size, int before, int after, PaddingMode mode)
    {
        Guard.AtLeastOne(size, nameof(size), "size");
        PadRules.Check(mode, before, size, nameof(before), nameof(before), "size");
        PadRules.Check(mode, after, size, nameof(after), nameof(after), "size");
        Guard.FitsOneArray([(long)before + size + after], before > after ? nameof(before) : nameof(after), "padding");
        return PadRules.SourceMap(mode, size, before, after);
    }

    /// <summary>Copies one block of padded dimensions, recursing one dimension at a time.</summary>
    private readonly ref struct PadJob(ReadOnlySpan<float> input, float[] output, int[][] maps, int[] befores, int[] inSizes, int[] outSizes, float value)
    {
        private readonly ReadOnlySpan<float> _input = input;

        public void Fill(int level, int inOffset, int outOffset, bool constant)
        {
            int outSize = outSizes[level];
            int[] map = maps[level];
            if (level == maps.Length - 1)
            {
                Span<float> row = output.AsSpan(outOffset, outSize);
                if (constant)
                {
                    row.Fill(value);
                    return;
                }
                // Edges go element by element through the map; the inside is one block copy.
                int before = befores[level];
                int size = inSizes[level];
                for (int j = 0; j < before; j++) row[j] = map[j] < 0 ? value : _input[inOffset + map[j]];
                _input.Slice(inOffset, size).CopyTo(row.Slice(before, size));
                for (int j = before + size; j < outSize; j++) row[j] = map[j] < 0 ? value : _input[inOffset + map[j]];
                return;
            }
            int inStride = 1, outStride = 1;
            for (int l = level + 1; l < maps.Length; l++)
            {
                inStride *= inSizes[l];
                outStride *= outSizes[l];
            }
            for (int j = 0; j < outSize; j++)
            {
                int source = map[j];
                Fill(level + 1, source < 0 ? 0 : inOffset + source * inStride, outOffset + j * outStride, constant || source < 0);
            }
        }
    }
}
