using System.Numerics;
using System.Runtime.CompilerServices;

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

    /// <summary>Forward convolution of <paramref name="g"/>, padding in <paramref name="mode"/>, into <paramref name="output"/>.</summary>
    [SkipLocalsInit]
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        PaddingMode mode, Span<float> output)
    {
        int sh = g.StrideH, sw = g.StrideW;
        int planeH = (g.InH + 2 * g.PadH + sh - 1) / sh, planeW = (g.InW + 2 * g.PadW + sw - 1) / sw;
        int plane = planeH * planeW, channel = plane * sh * sw;
        // A row of a plane is read up to OutW elements from a tap's column shift; the slack keeps the last row's read inside.
        int length = g.Batch * g.InChannels * channel + planeW;
        float[]? kept = length > StackFloats ? Workspace.Floats(length) : null;
        Span<float> packed = kept is null ? stackalloc float[length] : kept.AsSpan(0, length);
        int* rowMap = stackalloc int[planeH * sh];
        int* columnMap = stackalloc int[planeW * sw];
        PhasePacking.FillMap(new Span<int>(rowMap, planeH * sh), mode, g.InH, g.PadH, g.PadH);
        PhasePacking.FillMap(new Span<int>(columnMap, planeW * sw), mode, g.InW, g.PadW, g.PadW);
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = packed)
        {
            var packing = new PhasePacking
            {
                Source = pInput, Height = g.InH, Width = g.InW, Target = pPacked, StrideH = sh, StrideW = sw,
                PlaneH = planeH, PlaneW = planeW, RowMap = rowMap, ColumnMap = columnMap, PadLeft = g.PadW,
            };
            packing.Run(g.Batch * g.InChannels, threads: 1);
            new Span<float>(pPacked + (length - planeW), planeW).Clear();
            ForwardRows(pPacked, planeW, plane, channel, pWeight, bias.IsEmpty ? null : pBias, g, pOutput);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows(float* packed, int planeW, int plane, int channel, float* weight, float* bias, in ConvGeometry g, float* output)
    {
        int kh = g.KernelH, kw = g.KernelW, sh = g.StrideH, sw = g.StrideW;
        int inPerGroup = g.InPerGroup, outPerGroup = g.OutPerGroup, outW = g.OutW, taps = inPerGroup * kh * kw;
        // Where each tap (channel, i, j) reads, relative to its output position in the phase planes: worked out once,
        // as the divisions by the stride would otherwise cost more than the multiply-adds.
        Span<int> table = taps <= 1024 ? stackalloc int[taps] : Workspace.Ints(taps).AsSpan(0, taps);
        for (int c = 0, t = 0; c < inPerGroup; c++)
        {
            for (int i = 0; i < kh; i++)
            {
                int dy = i * g.DilationH;
                for (int j = 0; j < kw; j++, t++)
                {
                    int dx = j * g.DilationW;
                    table[t] = c * channel + ((dy % sh) * sw + dx % sw) * plane + dy / sh * planeW + dx / sw;
                }
            }
        }
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
                    for (int y = 0; y < g.OutH; y++, row += outW)
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
    /// Transposed convolution of <paramref name="g"/> into <paramref name="output"/>, phase by phase: output row
    /// Y = Yq·s + a − p is the sum, over the taps i with i·d mod s = a, of input row Yq − (i·d − a) / s times the weight.
    /// </summary>
    [SkipLocalsInit]
    public static void Transposed(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        Span<float> output)
    {
        int sh = g.StrideH, sw = g.StrideW;
        int backH = (g.KernelH - 1) * g.DilationH / sh, backW = (g.KernelW - 1) * g.DilationW / sw;
        int lastH = (g.OutH - 1 + g.PadH) / sh, lastW = (g.OutW - 1 + g.PadW) / sw;
        int paddedH = Math.Max(g.InH, lastH + 1) + backH, paddedW = Math.Max(g.InW, lastW + 1) + backW;
        int channel = paddedH * paddedW;
        int length = g.Batch * g.InChannels * channel + 2 * paddedW;
        float[]? kept = length > StackFloats ? Workspace.Floats(length) : null;
        Span<float> packed = kept is null ? stackalloc float[length] : kept.AsSpan(0, length);
        float* row = stackalloc float[paddedW];
        int* rowMap = stackalloc int[paddedH];
        int* columnMap = stackalloc int[paddedW];
        PhasePacking.FillMap(new Span<int>(rowMap, paddedH), PaddingMode.Zeros, g.InH, backH, 0);
        PhasePacking.FillMap(new Span<int>(columnMap, paddedW), PaddingMode.Zeros, g.InW, backW, 0);
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = packed)
        {
            var packing = new PhasePacking
            {
                Source = pInput, Height = g.InH, Width = g.InW, Target = pPacked, StrideH = 1, StrideW = 1,
                PlaneH = paddedH, PlaneW = paddedW, RowMap = rowMap, ColumnMap = columnMap, PadLeft = backW,
            };
            packing.Run(g.Batch * g.InChannels, threads: 1);
            new Span<float>(pPacked + (length - 2 * paddedW), 2 * paddedW).Clear();
            // Each tap's step back and phase, along each axis, divided out once for all phases.
            int* tapsY = stackalloc int[2 * g.KernelH];
            int* tapsX = stackalloc int[2 * g.KernelW];
            for (int i = 0; i < g.KernelH; i++) (tapsY[2 * i], tapsY[2 * i + 1]) = Math.DivRem(i * g.DilationH, sh);
            for (int j = 0; j < g.KernelW; j++) (tapsX[2 * j], tapsX[2 * j + 1]) = Math.DivRem(j * g.DilationW, sw);
            for (int a = 0; a < sh; a++)
            {
                for (int b = 0; b < sw; b++)
                {
                    TransposedPhase(pPacked, paddedW, channel, backH, backW, tapsY, tapsX, pWeight, bias.IsEmpty ? null : pBias, g, a, b, row, pOutput);
                }
            }
        }
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

        // The taps that land on this phase, for every input channel of a group: where each reads relative to the
        // output position (first half), and which weight it uses before the output channel's own offset (second half).
        int most = inPerGroup * kernelTaps;
        Span<int> table = most <= 512 ? stackalloc int[2 * most] : Workspace.Ints(2 * most).AsSpan(0, 2 * most);
        int taps = 0;
        for (int c = 0; c < inPerGroup; c++)
        {
            for (int i = 0; i < kh; i++)
            {
                if (tapsY[2 * i + 1] != a) continue;
                for (int j = 0; j < kw; j++)
                {
                    if (tapsX[2 * j + 1] != b) continue;
                    table[taps] = c * channel + (backH - tapsY[2 * i]) * paddedW + backW - tapsX[2 * j];
                    table[most + taps] = c * g.OutPerGroup * kernelTaps + i * kw + j;
                    taps++;
                }
            }
        }
        float* weights = stackalloc float[Math.Max(taps, 1)];
        fixed (int* offsets = table)
        {
            int* indices = offsets + most;
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
}
