using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Conv.Notebook;

/// <summary>
/// Notebook-sized calls, where the fast kernels' packing and tiling would cost more than the arithmetic. The input is
/// copied into padded stride-phase planes on the stack, as for the fast kernels, and then each output row is a sum of
/// contiguous rows of those planes times one weight: a few vector multiply-adds per tap, no bounds checks, no gathers.
/// A transposed convolution is done phase by phase in the same way (see <see cref="FastConvolution.Transposed"/>).
/// </summary>
internal static unsafe class SmallConvolution
{
    // Padded copies up to this many floats (16 KB) live on the stack; larger ones in the thread's workspace.
    private const int StackFloats = 4096;

    // Tap tables of up to this many taps per output (input channels per group × kernel taps) live on the stack.
    private const int TableTaps = 64;

    /// <summary>
    /// Whether <see cref="Forward"/> sums a call output by output straight from its input (<see cref="ForwardStrided"/>):
    /// strided, zero-padded and narrower than one vector. Such a call reads only part of its input and cannot use
    /// vectors along its rows, so padded phase planes would cost more than they save.
    /// </summary>
    public static bool SumsStrided(in ConvGeometry g, PaddingMode mode) =>
        (g.StrideH > 1 || g.StrideW > 1) && (mode == PaddingMode.Zeros || (g.PadH == 0 && g.PadW == 0)) && g.OutW < Vector<float>.Count;

    /// <summary>The most floats of padded copy the small loops take; a larger call goes to the plain loops.</summary>
    public const long MaxScratch = 1 << 22;

    /// <summary>The most taps per output (input channels per group × kernel taps) a transposed call keeps on the stack.</summary>
    private const int MaxStackTaps = 4096;

    /// <summary>
    /// Forward convolution of <paramref name="g"/>, padding in <paramref name="mode"/>, into <paramref name="output"/>; false,
    /// with nothing written, when its padded copy would be over <see cref="MaxScratch"/> floats.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        PaddingMode mode, Span<float> output)
    {
        // Summed straight from the input, taps on the padding are skipped; PyTorch multiplies the padding's zeros, which
        // matters only where a tap is infinite or NaN (∞ · 0 is NaN), and then the padded planes below give it.
        // Padded sizes past the bound are refused first, so that no position below passes the int range.
        if (g.InH + 2L * g.PadH > MaxScratch || g.InW + 2L * g.PadW > MaxScratch) return false;
        if (SumsStrided(g, mode) && ((g.PadH == 0 && g.PadW == 0) || Convolution.AllFinite(weight)))
        {
            ForwardStrided(input, weight, bias, g, output);
            return true;
        }
        int sh = g.StrideH, sw = g.StrideW;
        long planeRows = (g.InH + 2L * g.PadH + sh - 1) / sh, planeColumns = (g.InW + 2L * g.PadW + sw - 1) / sw;
        long mapLength = planeRows * sh + planeColumns * sw;
        long copy = Convolution.Product(g.Batch, g.InChannels, planeRows * sh, planeColumns * sw) + planeColumns;
        if (mapLength > MaxScratch || copy > MaxScratch) return false;
        int planeH = (int)planeRows, planeW = (int)planeColumns;
        int plane = planeH * planeW, channel = plane * sh * sw;
        // A row of a plane is read up to OutW elements from a tap's column shift; the slack keeps the last row's read inside.
        int length = (int)copy;
        float[]? kept = length > StackFloats ? Workspace.Floats(length) : null;
        Span<float> packed = kept is null ? stackalloc float[length] : kept.AsSpan(0, length);
        // The maps of long padded rows would not fit the stack; the int workspace holds the tap table.
        int[]? maps = mapLength > 2 * StackFloats ? new int[mapLength] : null;
        Span<int> mapSpace = maps is null ? stackalloc int[(int)mapLength] : maps;
        fixed (int* rowMap = mapSpace)
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = packed)
        {
            int* columnMap = rowMap + planeH * sh;
            PhasePacking.FillMap(new Span<int>(rowMap, planeH * sh), mode, g.InH, g.PadH, g.PadH);
            PhasePacking.FillMap(new Span<int>(columnMap, planeW * sw), mode, g.InW, g.PadW, g.PadW);
            var packing = new PhasePacking
            {
                Source = pInput, Height = g.InH, Width = g.InW, Target = pPacked, StrideH = sh, StrideW = sw,
                PlaneH = planeH, PlaneW = planeW, RowMap = rowMap, ColumnMap = columnMap, PadLeft = g.PadW,
            };
            packing.Run(g.Batch * g.InChannels, threads: 1);
            new Span<float>(pPacked + (length - planeW), planeW).Clear();
            ForwardRows(pPacked, planeW, plane, channel, pWeight, bias.IsEmpty ? null : pBias, g, pOutput);
        }
        return true;
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows(float* packed, int planeW, int plane, int channel, float* weight, float* bias, in ConvGeometry g, float* output)
    {
        int kh = g.KernelH, kw = g.KernelW, sh = g.StrideH, sw = g.StrideW;
        int inPerGroup = g.InPerGroup, outPerGroup = g.OutPerGroup, outW = g.OutW, taps = inPerGroup * kh * kw;
        Span<int> table = taps <= 1024 ? stackalloc int[taps] : Workspace.Ints(taps).AsSpan(0, taps);
        TapTables.Forward(g, plane, planeW, channel, table);
        fixed (int* offsets = table)
        {
            float* row = output;
            for (int n = 0; n < g.Batch; n++)
            {
                for (int oc = 0; oc < g.OutChannels; oc++)
                {
                    float b = bias == null ? 0f : bias[oc];
                    float* channels = packed + (long)(n * g.InChannels + oc / outPerGroup * inPerGroup) * channel;
                    float* kernel = weight + (long)oc * taps;
                    int y = 0;
                    if (Vector.IsHardwareAccelerated && outW >= Vector<float>.Count)
                    {
                        // Four rows at a time: one row's sum waits on each multiply-add before the next, and the
                        // latency of that chain, not the arithmetic, set the time of a call this small.
                        for (; y + 4 <= g.OutH; y += 4, row += 4 * outW)
                        {
                            SumFourRows(channels + (long)y * planeW, planeW, offsets, kernel, taps, b, outW, row);
                        }
                    }
                    for (; y < g.OutH; y++, row += outW)
                    {
                        float* origin = channels + (long)y * planeW;
                        // Column blocks outside, taps inside: a block's sum stays in one register across all taps.
                        int x = 0;
                        if (Vector.IsHardwareAccelerated)
                        {
                            for (; x + Vector<float>.Count <= outW; x += Vector<float>.Count)
                            {
                                var sum = new Vector<float>(b);
                                float* at = origin + x;
                                for (int t = 0; t < taps; t++)
                                {
                                    sum = Vector.MultiplyAddEstimate(new Vector<float>(kernel[t]), Vector.Load(at + offsets[t]), sum);
                                }
                                sum.Store(row + x);
                            }
                        }
                        for (; x < outW; x++)
                        {
                            float sum = b;
                            float* at = origin + x;
                            for (int t = 0; t < taps; t++) sum += kernel[t] * at[offsets[t]];
                            row[x] = sum;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Four neighbouring output rows of one channel, from <paramref name="origin"/> (the first row's) on: whole vectors
    /// of columns with four independent sums, then the columns past the last whole vector one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumFourRows(float* origin, int planeW, int* offsets, float* kernel, int taps, float b, int outW, float* row)
    {
        int x = 0;
        for (; x + Vector<float>.Count <= outW; x += Vector<float>.Count)
        {
            Vector<float> s0 = new(b), s1 = s0, s2 = s0, s3 = s0;
            float* at = origin + x;
            for (int t = 0; t < taps; t++)
            {
                var k = new Vector<float>(kernel[t]);
                float* p = at + offsets[t];
                s0 = Vector.MultiplyAddEstimate(k, Vector.Load(p), s0);
                s1 = Vector.MultiplyAddEstimate(k, Vector.Load(p + planeW), s1);
                s2 = Vector.MultiplyAddEstimate(k, Vector.Load(p + 2 * planeW), s2);
                s3 = Vector.MultiplyAddEstimate(k, Vector.Load(p + 3 * planeW), s3);
            }
            s0.Store(row + x);
            s1.Store(row + outW + x);
            s2.Store(row + 2 * outW + x);
            s3.Store(row + 3 * outW + x);
        }
        for (; x < outW; x++)
        {
            for (int r = 0; r < 4; r++)
            {
                float sum = b;
                float* at = origin + r * planeW + x;
                for (int t = 0; t < taps; t++) sum += kernel[t] * at[offsets[t]];
                row[r * outW + x] = sum;
            }
        }
    }

    /// <summary>
    /// Zero-padded convolution output by output, as <see cref="DirectConvolution.Forward"/> sums it, but with the taps
    /// that fall inside the input worked out once per output row and column rather than tested one by one.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrided(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        Span<float> output)
    {
        int kh = g.KernelH, kw = g.KernelW, dh = g.DilationH, dw = g.DilationW, inW = g.InW;
        int inPlane = g.InH * inW, kernelPlane = kh * kw, inPerGroup = g.InPerGroup, outPerGroup = g.OutPerGroup;
        // Per output column: where its window starts, and its first and one-past-last kernel column inside the input.
        int* columns = stackalloc int[3 * g.OutW];
        for (int x = 0; x < g.OutW; x++)
        {
            int left = x * g.StrideW - g.PadW;
            columns[3 * x] = left;
            TapsInside(left, kw, dw, inW, out columns[3 * x + 1], out columns[3 * x + 2]);
        }
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output)
        {
            float* target = pOutput;
            for (int n = 0; n < g.Batch; n++)
            {
                for (int oc = 0; oc < g.OutChannels; oc++)
                {
                    float b = bias.IsEmpty ? 0f : pBias[oc];
                    float* image = pInput + (long)(n * g.InChannels + oc / outPerGroup * inPerGroup) * inPlane;
                    float* kernel = pWeight + (long)oc * inPerGroup * kernelPlane;
                    for (int y = 0; y < g.OutH; y++)
                    {
                        int top = y * g.StrideH - g.PadH;
                        TapsInside(top, kh, dh, g.InH, out int firstRow, out int endRow);
                        for (int x = 0; x < g.OutW; x++, target++)
                        {
                            int left = columns[3 * x], firstColumn = columns[3 * x + 1], endColumn = columns[3 * x + 2];
                            float sum = b;
                            for (int c = 0; c < inPerGroup; c++)
                            {
                                float* source = image + c * inPlane + left;
                                float* taps = kernel + c * kernelPlane;
                                for (int i = firstRow; i < endRow; i++)
                                {
                                    float* sourceRow = source + (top + i * dh) * inW;
                                    float* tapRow = taps + i * kw;
                                    for (int j = firstColumn; j < endColumn; j++) sum += sourceRow[j * dw] * tapRow[j];
                                }
                            }
                            *target = sum;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The kernel taps t (from <paramref name="first"/> to <paramref name="end"/> − 1) with 0 ≤ start + t·dilation &lt; size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapsInside(int start, int kernel, int dilation, int size, out int first, out int end)
    {
        // In 64 bits: −start + dilation − 1 passes the int range for a dilation near it.
        first = start >= 0 ? 0 : (int)Math.Min(kernel, (-(long)start + dilation - 1) / dilation);
        end = start >= size ? 0 : (int)Math.Min(kernel, ((long)size - 1 - start) / dilation + 1);
        if (end < first) end = first;
    }

    /// <summary>
    /// Transposed convolution of <paramref name="g"/> into <paramref name="output"/>, every tap finite (<see cref="Convolution.Transposed"/>
    /// sends an infinite or NaN one to the plain scatter; false, with nothing written, for a copy over <see cref="MaxScratch"/>), phase by phase: output row
    /// Y = Yq·s + a − p is the sum, over the taps i with i·d mod s = a, of input row Yq − (i·d − a) / s times the weight.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Transposed(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        Span<float> output)
    {
        // The phases keep a tap's weights on the stack, and are visited one by one.
        if ((long)g.InPerGroup * g.KernelH * g.KernelW > MaxStackTaps || !FastConvolution.FewPhases(g)) return false;
        int sh = g.StrideH, sw = g.StrideW;
        (long backRows, long backColumns, long rowsNeeded, long columnsNeeded) = g.TransposedCopy();
        long copy = Convolution.Product(g.Batch, g.InChannels, rowsNeeded, columnsNeeded) + 3 * columnsNeeded;
        if (copy > MaxScratch) return false;
        int backH = (int)backRows, backW = (int)backColumns;
        int paddedH = (int)rowsNeeded, paddedW = (int)columnsNeeded;
        int channel = paddedH * paddedW;
        int length = g.Batch * g.InChannels * channel + 2 * paddedW;
        // The padded copy, then a row of the phase loops (the stack holds it whole in one allocation of constant size).
        Span<float> scratch = length + paddedW > StackFloats ? Workspace.Floats(length + paddedW).AsSpan(0, length + paddedW) : stackalloc float[StackFloats];
        Span<float> packed = scratch[..length];
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = scratch)
        {
            float* row = pPacked + length;
            // The padding is zeros only, at the top and left of each channel (and past its right and bottom edges), so
            // the copy is a cleared buffer with the input rows written in; the plane maps of the forward path are not needed.
            packed.Clear();
            int width = g.InW;
            for (int c = 0; c < g.Batch * g.InChannels; c++)
            {
                float* from = pInput + (long)c * g.InH * width, to = pPacked + (long)c * channel + backH * paddedW + backW;
                for (int r = 0; r < g.InH; r++, from += width, to += paddedW)
                {
                    // Rows of a notebook-sized input are a vector or two: copied inline rather than through a call to memmove.
                    int x = 0;
                    for (; x + Vector256<float>.Count <= width; x += Vector256<float>.Count) Vector256.Store(Vector256.Load(from + x), to + x);
                    for (; x < width; x++) to[x] = from[x];
                }
            }
            // Each tap's step back and phase, along each axis, divided out once for all phases.
            int* tapsY = stackalloc int[2 * g.KernelH];
            int* tapsX = stackalloc int[2 * g.KernelW];
            TapTables.Steps(g.KernelH, g.DilationH, sh, tapsY);
            TapTables.Steps(g.KernelW, g.DilationW, sw, tapsX);
            for (int a = 0; a < sh; a++)
            {
                if (sw == 2 && Avx.IsSupported)
                {
                    TransposedRowPairs(pPacked, paddedW, channel, backH, backW, tapsY, tapsX, pWeight, bias.IsEmpty ? null : pBias, g, a, pOutput);
                    continue;
                }
                for (int b = 0; b < sw; b++)
                {
                    TransposedPhase(pPacked, paddedW, channel, backH, backW, tapsY, tapsX, pWeight, bias.IsEmpty ? null : pBias, g, a, b, row, pOutput);
                }
            }
        }
        return true;
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedPhase(float* packed, int paddedW, int channel, int backH, int backW, int* tapsY, int* tapsX,
        float* weight, float* bias, in ConvGeometry g, int a, int b, float* row, float* output)
    {
        int sh = g.StrideH, sw = g.StrideW, kh = g.KernelH, kw = g.KernelW;
        int firstY = g.PadH <= a ? 0 : (g.PadH - a + sh - 1) / sh, firstX = g.PadW <= b ? 0 : (g.PadW - b + sw - 1) / sw;
        int topY = g.OutH - 1 + g.PadH - a, topX = g.OutW - 1 + g.PadW - b;
        if (topY < 0 || topX < 0) return;
        int rows = topY / sh - firstY + 1, columns = topX / sw - firstX + 1;
        if (rows <= 0 || columns <= 0) return;
        int kernelTaps = kh * kw, outPlane = g.OutH * g.OutW, inPerGroup = g.InPerGroup;

        int most = inPerGroup * kernelTaps;
        Span<int> table = most <= 512 ? stackalloc int[2 * most] : Workspace.Ints(2 * most).AsSpan(0, 2 * most);
        float* weights = stackalloc float[Math.Max(most, 1)];
        fixed (int* offsets = table)
        {
            int* indices = offsets + most;
            int taps = TapTables.Phase(g, channel, paddedW, backH, backW, tapsY, tapsX, a, b, offsets, indices);
            for (int n = 0; n < g.Batch; n++)
            {
                for (int oc = 0; oc < g.OutChannels; oc++)
                {
                    float bo = bias == null ? 0f : bias[oc];
                    int group = oc / g.OutPerGroup, within = oc % g.OutPerGroup;
                    float* kernel = weight + ((long)group * inPerGroup * g.OutPerGroup + within) * kernelTaps;
                    for (int t = 0; t < taps; t++) weights[t] = kernel[indices[t]];
                    float* target = output + (long)(n * g.OutChannels + oc) * outPlane + (firstY * sh + a - g.PadH) * g.OutW + (firstX * sw + b - g.PadW);
                    float* origin = packed + (long)(n * g.InChannels + group * inPerGroup) * channel + firstY * paddedW + firstX;
                    for (int yq = 0; yq < rows; yq++, target += sh * g.OutW, origin += paddedW)
                    {
                        int x = 0;
                        if (Vector.IsHardwareAccelerated)
                        {
                            for (; x + Vector<float>.Count <= columns; x += Vector<float>.Count)
                            {
                                var sum = new Vector<float>(bo);
                                float* at = origin + x;
                                for (int t = 0; t < taps; t++)
                                {
                                    sum = Vector.MultiplyAddEstimate(new Vector<float>(weights[t]), Vector.Load(at + offsets[t]), sum);
                                }
                                sum.Store(row + x);
                            }
                        }
                        for (; x < columns; x++)
                        {
                            float sum = bo;
                            float* at = origin + x;
                            for (int t = 0; t < taps; t++) sum += weights[t] * at[offsets[t]];
                            row[x] = sum;
                        }
                        for (x = 0; x < columns; x++) target[x * sw] = row[x];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The output rows of row phase <paramref name="a"/> when the column stride is 2: the even and the odd output columns
    /// come from the two column phases, so eight of each are summed side by side and interleaved into sixteen
    /// neighbouring outputs, stored as whole vectors instead of one float at a time at stride 2.
    /// </summary>
    /// <remarks>
    /// Output column X = 2m + e belongs to column phase (X + p) mod 2 and reads input column m + (p + e − phase) / 2 of it.
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedRowPairs(float* packed, int paddedW, int channel, int backH, int backW, int* tapsY, int* tapsX,
        float* weight, float* bias, in ConvGeometry g, int a, float* output)
    {
        int sh = g.StrideH, p = g.PadW;
        int firstY = g.PadH <= a ? 0 : (g.PadH - a + sh - 1) / sh;
        int topY = g.OutH - 1 + g.PadH - a;
        if (topY < 0) return;
        int rows = topY / sh - firstY + 1;
        if (rows <= 0) return;
        int kernelTaps = g.KernelH * g.KernelW, outPlane = g.OutH * g.OutW, inPerGroup = g.InPerGroup, most = inPerGroup * kernelTaps;

        // The taps of the even and of the odd output columns, and the weights they use, in stack space of a constant size
        // (no stack probing) for all but the largest kernels. The weights stay on the stack: the float workspace may hold
        // the padded input.
        Span<int> table = most <= TableTaps ? stackalloc int[4 * TableTaps] : Workspace.Ints(4 * most).AsSpan(0, 4 * most);
        Span<float> weightTable = most <= TableTaps ? stackalloc float[2 * TableTaps] : stackalloc float[2 * most];
        fixed (int* tables = table)
        fixed (float* weights0 = weightTable)
        {
            int* offsets0 = tables, offsets1 = tables + most, indices0 = tables + 2 * most, indices1 = tables + 3 * most;
            float* weights1 = weights0 + most;
            // Per parity of the output column (even 0, odd 1): its column phase, and the input column of m = 0.
            int phase0 = p & 1, phase1 = (p + 1) & 1;
            int shift0 = (p - phase0) / 2, shift1 = (p + 1 - phase1) / 2;
            int count0 = TapTables.Phase(g, channel, paddedW, backH, backW, tapsY, tapsX, a, phase0, offsets0, indices0);
            int count1 = TapTables.Phase(g, channel, paddedW, backH, backW, tapsY, tapsX, a, phase1, offsets1, indices1);
            int common = Math.Min(count0, count1), outPerGroup = g.OutPerGroup;
            int pairs = g.OutW / 2, blocked = pairs - pairs % Vector256<float>.Count;
            for (int n = 0; n < g.Batch; n++)
            {
                // Output channel oc = group · outPerGroup + within, counted rather than divided.
                for (int group = 0, oc = 0; group < g.Groups; group++)
                {
                    for (int within = 0; within < outPerGroup; within++, oc++)
                    {
                        float bo = bias == null ? 0f : bias[oc];
                        float* kernel = weight + ((long)group * inPerGroup * outPerGroup + within) * kernelTaps;
                        for (int t = 0; t < count0; t++) weights0[t] = kernel[indices0[t]];
                        for (int t = 0; t < count1; t++) weights1[t] = kernel[indices1[t]];
                        float* channels = packed + (long)(n * g.InChannels + group * inPerGroup) * channel;
                        float* target = output + (long)(n * g.OutChannels + oc) * outPlane + (long)(firstY * sh + a - g.PadH) * g.OutW;
                        float* origin = channels + (long)firstY * paddedW;
                        long targetStep = (long)sh * g.OutW;
                        int yq = 0;
                        // Four rows at a time share each weight's broadcast and keep eight sums in flight; the taps of the two
                        // parities are summed in one loop as far as both have them.
                        for (; yq + 4 <= rows; yq += 4, target += 4 * targetStep, origin += 4 * paddedW)
                        {
                            float* even = origin + shift0, odd = origin + shift1;
                            for (int m = 0; m < blocked; m += Vector256<float>.Count)
                            {
                                Vector256<float> even0 = Vector256.Create(bo), even1 = even0, even2 = even0, even3 = even0;
                                Vector256<float> odd0 = even0, odd1 = even0, odd2 = even0, odd3 = even0;
                                int t = 0;
                                for (; t < common; t++)
                                {
                                    Vector256<float> k = Vector256.Create(weights0[t]), l = Vector256.Create(weights1[t]);
                                    float* at = even + m + offsets0[t], bt = odd + m + offsets1[t];
                                    even0 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at), even0);
                                    odd0 = Vector256.MultiplyAddEstimate(l, Vector256.Load(bt), odd0);
                                    even1 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + paddedW), even1);
                                    odd1 = Vector256.MultiplyAddEstimate(l, Vector256.Load(bt + paddedW), odd1);
                                    even2 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + 2 * paddedW), even2);
                                    odd2 = Vector256.MultiplyAddEstimate(l, Vector256.Load(bt + 2 * paddedW), odd2);
                                    even3 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + 3 * paddedW), even3);
                                    odd3 = Vector256.MultiplyAddEstimate(l, Vector256.Load(bt + 3 * paddedW), odd3);
                                }
                                // The taps only one parity has: with an odd kernel width, one parity has a tap per row more.
                                AddFourRows(even + m, paddedW, offsets0, weights0, t, count0, ref even0, ref even1, ref even2, ref even3);
                                AddFourRows(odd + m, paddedW, offsets1, weights1, t, count1, ref odd0, ref odd1, ref odd2, ref odd3);
                                StorePairs(even0, odd0, target + 2 * m);
                                StorePairs(even1, odd1, target + targetStep + 2 * m);
                                StorePairs(even2, odd2, target + 2 * targetStep + 2 * m);
                                StorePairs(even3, odd3, target + 3 * targetStep + 2 * m);
                            }
                            for (int r = 0; r < 4; r++)
                            {
                                TailColumns(target + r * targetStep, even + r * paddedW, odd + r * paddedW, 2 * blocked, g.OutW, bo,
                                    offsets0, offsets1, weights0, weights1, count0, count1);
                            }
                        }
                        for (; yq < rows; yq++, target += targetStep, origin += paddedW)
                        {
                            float* even = origin + shift0, odd = origin + shift1;
                            for (int m = 0; m < blocked; m += Vector256<float>.Count)
                            {
                                Vector256<float> sumEven = Vector256.Create(bo), sumOdd = sumEven;
                                for (int t = 0; t < count0; t++)
                                {
                                    sumEven = Vector256.MultiplyAddEstimate(Vector256.Create(weights0[t]), Vector256.Load(even + m + offsets0[t]), sumEven);
                                }
                                for (int t = 0; t < count1; t++)
                                {
                                    sumOdd = Vector256.MultiplyAddEstimate(Vector256.Create(weights1[t]), Vector256.Load(odd + m + offsets1[t]), sumOdd);
                                }
                                StorePairs(sumEven, sumOdd, target + 2 * m);
                            }
                            TailColumns(target, even, odd, 2 * blocked, g.OutW, bo, offsets0, offsets1, weights0, weights1, count0, count1);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds taps <paramref name="first"/> to <paramref name="end"/> − 1 to the sums of four rows, <paramref name="rowStep"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFourRows(float* origin, int rowStep, int* offsets, float* weights, int first, int end,
        ref Vector256<float> row0, ref Vector256<float> row1, ref Vector256<float> row2, ref Vector256<float> row3)
    {
        for (int t = first; t < end; t++)
        {
            Vector256<float> k = Vector256.Create(weights[t]);
            float* at = origin + offsets[t];
            row0 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at), row0);
            row1 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + rowStep), row1);
            row2 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + 2 * rowStep), row2);
            row3 = Vector256.MultiplyAddEstimate(k, Vector256.Load(at + 3 * rowStep), row3);
        }
    }

    /// <summary>Stores the even and the odd columns of eight output pairs as sixteen neighbouring outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairs(Vector256<float> even, Vector256<float> odd, float* target)
    {
        // e0 o0 e1 o1 | e4 o4 e5 o5 and e2 o2 e3 o3 | e6 o6 e7 o7, then their halves put in order.
        Vector256<float> low = Avx.UnpackLow(even, odd), high = Avx.UnpackHigh(even, odd);
        Avx.Permute2x128(low, high, 0x20).Store(target);
        Avx.Permute2x128(low, high, 0x31).Store(target + Vector256<float>.Count);
    }

    /// <summary>The output columns from <paramref name="first"/> on that the whole vectors of pairs did not reach, one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailColumns(float* target, float* even, float* odd, int first, int outW, float bias,
        int* offsets0, int* offsets1, float* weights0, float* weights1, int count0, int count1)
    {
        for (int x = first; x < outW; x++)
        {
            bool isEven = (x & 1) == 0;
            float* at = (isEven ? even : odd) + x / 2;
            int* offsets = isEven ? offsets0 : offsets1;
            float* w = isEven ? weights0 : weights1;
            float sum = bias;
            for (int t = 0, count = isEven ? count0 : count1; t < count; t++) sum += w[t] * at[offsets[t]];
            target[x] = sum;
        }
    }
}
