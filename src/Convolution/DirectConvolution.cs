namespace Conv.Notebook;

/// <summary>
/// The plain loops of convolution and transposed convolution, written to be read: one output (or one
/// input) element at a time, every kernel tap visited. As in PyTorch, a forward tap on the zero padding multiplies
/// its zero (so an infinite tap gives NaN there), and a transposed call sums only products of an input element and
/// a tap.
/// </summary>
internal static class DirectConvolution
{
    // Positions are computed in 64 bits: a large stride or padding can take y·s − p past the int range
    // even when every index that is used fits.

    /// <summary>
    /// out[n, o, y, x] = bias[o] + Σ_{c in o's group, i, j} in[n, c, y·s_h − p_h + i·d_h, x·s_w − p_w + j·d_w] · w[o, c, i, j],
    /// taps outside the input counting as zero.
    /// </summary>
    public static float[] Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g)
    {
        var output = new float[(long)g.Batch * g.OutChannels * g.OutH * g.OutW];
        ForwardInto(input, weight, bias, g, output);
        return output;
    }

    /// <summary><see cref="Forward"/> into <paramref name="output"/>, which it fills.</summary>
    public static void ForwardInto(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g, Span<float> output)
    {
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW, kernelPlane = g.KernelH * g.KernelW;
        int inPerGroup = g.InPerGroup, outPerGroup = g.OutPerGroup;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                int firstChannel = o / outPerGroup * inPerGroup;
                float b = bias.IsEmpty ? 0f : bias[o];
                int outBase = (n * g.OutChannels + o) * outPlane;
                for (int y = 0; y < g.OutH; y++)
                {
                    long top = (long)y * g.StrideH - g.PadH;
                    for (int x = 0; x < g.OutW; x++)
                    {
                        long left = (long)x * g.StrideW - g.PadW;
                        float sum = b;
                        for (int ci = 0; ci < inPerGroup; ci++)
                        {
                            int inBase = (n * g.InChannels + firstChannel + ci) * inPlane;
                            int weightBase = (o * inPerGroup + ci) * kernelPlane;
                            for (int i = 0; i < g.KernelH; i++)
                            {
                                long row = top + (long)i * g.DilationH;
                                bool rowInside = (ulong)row < (ulong)g.InH;
                                for (int j = 0; j < g.KernelW; j++)
                                {
                                    long col = left + (long)j * g.DilationW;
                                    // A tap on the padding multiplies its zero, as PyTorch does: ∞ · 0 is NaN.
                                    float v = rowInside && (ulong)col < (ulong)g.InW ? input[inBase + (int)row * g.InW + (int)col] : 0f;
                                    sum += v * weight[weightBase + i * g.KernelW + j];
                                }
                            }
                        }
                        output[outBase + y * g.OutW + x] = sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The transpose of <see cref="Forward"/>: every input element scatters itself, times the kernel, onto the
    /// output at stride spacing; out[n, o, y·s_h − p_h + i·d_h, x·s_w − p_w + j·d_w] += in[n, c, y, x] · w[c, o, i, j].
    /// The geometry's input is this call's input; its output size comes from the transposed formula.
    /// </summary>
    public static float[] Transposed(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g)
    {
        var output = new float[(long)g.Batch * g.OutChannels * g.OutH * g.OutW];
        TransposedInto(input, weight, bias, g, output);
        return output;
    }

    /// <summary>
    /// <see cref="Transposed"/> into
    /// <paramref name="output"/>, which it fills. Only products of an input element and a tap are summed, as in PyTorch's
    /// scatter (col2im): no padding is multiplied, so an infinite tap gives NaN only where it meets a zero of the input.
    /// </summary>
    public static void TransposedInto(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g, Span<float> output)
    {
        if (bias.IsEmpty) output.Clear();
        int inPlane = g.InH * g.InW, outPlane = g.OutH * g.OutW, kernelPlane = g.KernelH * g.KernelW;
        int inPerGroup = g.InPerGroup, outPerGroup = g.OutPerGroup;
        for (int n = 0; n < g.Batch; n++)
        {
            if (!bias.IsEmpty)
            {
                for (int o = 0; o < g.OutChannels; o++)
                {
                    output.Slice((n * g.OutChannels + o) * outPlane, outPlane).Fill(bias[o]);
                }
            }
            for (int c = 0; c < g.InChannels; c++)
            {
                int firstOut = c / inPerGroup * outPerGroup;
                int inBase = (n * g.InChannels + c) * inPlane;
                for (int oi = 0; oi < outPerGroup; oi++)
                {
                    int outBase = (n * g.OutChannels + firstOut + oi) * outPlane;
                    int weightBase = (c * outPerGroup + oi) * kernelPlane;
                    for (int y = 0; y < g.InH; y++)
                    {
                        long top = (long)y * g.StrideH - g.PadH;
                        for (int x = 0; x < g.InW; x++)
                        {
                            float v = input[inBase + y * g.InW + x];
                            long left = (long)x * g.StrideW - g.PadW;
                            for (int i = 0; i < g.KernelH; i++)
                            {
                                long row = top + (long)i * g.DilationH;
                                if ((ulong)row >= (ulong)g.OutH) continue;
                                for (int j = 0; j < g.KernelW; j++)
                                {
                                    long col = left + (long)j * g.DilationW;
                                    if ((ulong)col >= (ulong)g.OutW) continue;
                                    output[outBase + (int)row * g.OutW + (int)col] += v * weight[weightBase + i * g.KernelW + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
