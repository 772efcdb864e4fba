using System.Runtime.CompilerServices;

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
    /// <param name="input">A tensor of any rank; it may be empty (a batch of none gives an empty result), and a padded
    /// dimension may be empty in <see cref="PaddingMode.Zeros"/>, which fills it with the constant.</param>
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
        Span<long> outShape = rank <= 16 ? stackalloc long[rank] : new long[rank];
        for (int d = 0; d < rank; d++) outShape[d] = shape[d];
        for (int p = 0; p < padded; p++)
        {
            int d = rank - 1 - p;
            if (shape[d] == 0 && mode != PaddingMode.Zeros)
            {
                // Only a constant has something to pad an empty dimension with (F.pad refuses the other modes there too).
                throw new ArgumentException(
                    $"{mode} padding needs at least one element to copy in each padded dimension, but the input of shape " +
                    $"{Tensor.ShapeText(shape)} has none along its {PadRules.DimName(d, rank)}.", nameof(input));
            }
            for (int side = 2 * p; side < 2 * p + 2; side++)
            {
                // The message's texts are built only for a padding that fails.
                if (!PadRules.Allows(mode, pads[side], shape[d]))
                {
                    PadRules.Check(mode, pads[side], shape[d], nameof(pads), $"pads[{side}]", PadRules.DimName(d, rank));
                }
            }
            outShape[d] = (long)shape[d] + pads[2 * p] + pads[2 * p + 1];
        }
        int[] resultShape = Guard.ResultShape(outShape, nameof(pads), "padding");

        // The padded dimensions are the last ones; everything before them is copied block by block. Their maps lie
        // side by side in the thread's workspace, so that a call allocates only its output.
        int first = rank - padded;
        int mapsLength = 0;
        for (int d = first; d < rank; d++) mapsLength += resultShape[d];
        Span<int> maps = Workspace.Ints(mapsLength).AsSpan(0, mapsLength);
        for (int p = 0, start = 0; p < padded; p++)
        {
            int d = first + p, pair = rank - 1 - d;
            PadRules.FillSourceMap(maps.Slice(start, resultShape[d]), mode, shape[d], pads[2 * pair]);
            start += resultShape[d];
        }
        int blocks = 1, inBlock = 1, outBlock = 1;
        for (int d = 0; d < first; d++) blocks *= shape[d];
        for (int d = first; d < rank; d++)
        {
            inBlock *= shape[d];
            outBlock *= resultShape[d];
        }

        // An empty input along a dimension that is not padded (a batch of none) pads to an empty result.
        if (blocks == 0 || outBlock == 0) return Tensor.Wrap(resultShape, []);
        // Every element is written below (copied, mirrored or filled), so the array need not be zeroed first.
        Tensor result = Tensor.Uninitialized(resultShape, checked(blocks * outBlock));
        var job = new PadJob(input.Span, result.Writable, maps, pads, shape[first..], resultShape.AsSpan(first), value);
        for (int b = 0; b < blocks; b++)
        {
            job.Fill(0, 0, b * inBlock, b * outBlock, constant: false);
        }
        // The input's elements were read through a span, which does not keep the tensor (and so its lent elements) alive.
        GC.KeepAlive(input);
        return result;
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

    /// <summary>
    /// One call's padding: the padded dimensions' maps side by side (<paramref name="maps"/>), their sizes before and
    /// after, and the pads in <see cref="Pad"/>'s order (last dimension first).
    /// </summary>
    private readonly ref struct PadJob(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> maps, int[] pads,
        ReadOnlySpan<int> inSizes, ReadOnlySpan<int> outSizes, float value)
    {
        private readonly ReadOnlySpan<float> _input = input;
        private readonly Span<float> _output = output;
        private readonly ReadOnlySpan<int> _maps = maps, _inSizes = inSizes, _outSizes = outSizes;

        /// <summary>Fills the block of padded dimension <paramref name="level"/> whose map starts at <paramref name="mapStart"/>.</summary>
        public void Fill(int level, int mapStart, int inOffset, int outOffset, bool constant)
        {
            int levels = _outSizes.Length, outSize = _outSizes[level];
            ReadOnlySpan<int> map = _maps.Slice(mapStart, outSize);
            if (level == levels - 2 && !constant)
            {
                FillRows(map, _maps.Slice(mapStart + outSize, _outSizes[levels - 1]), inOffset, outOffset);
                return;
            }
            if (level == levels - 1)
            {
                if (constant) _output.Slice(outOffset, outSize).Fill(value);
                else FillRows([0], map, inOffset, outOffset);
                return;
            }
            int inStride = 1, outStride = 1;
            for (int l = level + 1; l < levels; l++)
            {
                inStride *= _inSizes[l];
                outStride *= _outSizes[l];
            }
            for (int j = 0; j < outSize; j++)
            {
                int source = map[j];
                Fill(level + 1, mapStart + outSize, source < 0 ? 0 : inOffset + source * inStride, outOffset + j * outStride, constant || source < 0);
            }
        }

        /// <summary>
        /// The rows of one plane (the last two padded dimensions; a single row when only the last one is padded) in one
        /// loop: a row the row map pads is the constant, any other copies its source row, the edges element by element
        /// through the column map and the inside as one block. A 64-channel 224² image has 14,000 rows of under a
        /// kilobyte, and taking each through <see cref="Fill"/> again cost a tenth to a sixth of the call.
        /// </summary>
        private unsafe void FillRows(ReadOnlySpan<int> rowMap, ReadOnlySpan<int> columnMap, int inOffset, int outOffset)
        {
            int outW = columnMap.Length, inW = _inSizes[^1], before = pads[0], after = outW - before - inW;
            fixed (float* input = _input, output = _output)
            fixed (int* columns = columnMap)
            {
                float* row = output + outOffset;
                for (int j = 0; j < rowMap.Length; j++, row += outW)
                {
                    int source = rowMap[j];
                    if (source < 0)
                    {
                        new Span<float>(row, outW).Fill(value);
                        continue;
                    }
                    float* from = input + inOffset + (long)source * inW;
                    for (int x = 0; x < before; x++) row[x] = columns[x] < 0 ? value : from[columns[x]];
                    Unsafe.CopyBlockUnaligned(row + before, from, (uint)inW * sizeof(float));
                    for (int x = outW - after; x < outW; x++) row[x] = columns[x] < 0 ? value : from[columns[x]];
                }
            }
        }
    }
}
