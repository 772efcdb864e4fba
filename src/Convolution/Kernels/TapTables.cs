using System.Runtime.CompilerServices;
namespace Conv.Notebook;

/// <summary>
/// Where each kernel tap reads, relative to the output position it feeds, in the padded copies that the small loops and
/// the fast kernels convolve: worked out once per call, with one division by the stride per kernel row and column
/// rather than per tap (for the 576 taps of a 64-channel layer, per-tap divisions took 4 µs of every call, and more than
/// all the multiply-adds of a notebook-sized one).
/// </summary>
internal static unsafe class TapTables
{
    /// <summary>
    /// A forward convolution's taps, channel by channel and row by row, in phase planes <paramref name="planeW"/> columns
    /// wide and <paramref name="plane"/> floats apart, channels <paramref name="channel"/> floats apart: tap (c, i, j)
    /// reads plane (i·d_h mod s_h, j·d_w mod s_w), row i·d_h / s_h and column j·d_w / s_w of channel c. Returns the
    /// largest offset.
    /// </summary>
    /// <example><code>int maxOffset = TapTables.Forward(g, plane, planeW, channel, offsets);</code></example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Forward(in ConvGeometry g, long plane, int planeW, long channel, Span<int> offsets)
    {
        int kh = g.KernelH, kw = g.KernelW, sh = g.StrideH, sw = g.StrideW, taps = kh * kw;
        // Kernel row 0 has no row part, so its shifts are the column parts that the other rows add theirs to.
        int largest = 0;
        for (int j = 0; j < kw; j++)
        {
            (int step, int phase) = Math.DivRem(j * g.DilationW, sw);
            offsets[j] = checked((int)(phase * plane + step));
            largest = Math.Max(largest, offsets[j]);
        }
        for (int i = 1; i < kh; i++)
        {
            (int step, int phase) = Math.DivRem(i * g.DilationH, sh);
            long rowPart = (long)phase * sw * plane + (long)step * planeW;
            for (int j = 0; j < kw; j++)
            {
                offsets[i * kw + j] = checked((int)(rowPart + offsets[j]));
                largest = Math.Max(largest, offsets[i * kw + j]);
            }
        }
        // Channel c's taps are channel 0's, c channels on.
        for (int c = 1; c < g.InPerGroup; c++)
        {
            for (int t = 0; t < taps; t++) offsets[c * taps + t] = checked((int)(c * channel + offsets[t]));
        }
        return checked((int)((g.InPerGroup - 1) * channel + largest));
    }

    /// <summary>Each tap t of a kernel axis as t·<paramref name="dilation"/> = step·<paramref name="stride"/> + phase: the step at pairs[2t], the phase at pairs[2t + 1].</summary>
    public static void Steps(int kernel, int dilation, int stride, int* pairs)
    {
        for (int t = 0; t < kernel; t++) (pairs[2 * t], pairs[2 * t + 1]) = Math.DivRem(t * dilation, stride);
    }

    /// <summary>
    /// The taps of a transposed convolution that land on output phase (<paramref name="a"/>, <paramref name="b"/>), for
    /// every input channel of a group, from the axes' <see cref="Steps"/>: where each reads relative to the output
    /// position in an input padded by <paramref name="backH"/> rows and <paramref name="backW"/> columns at the top and
    /// left (rows <paramref name="paddedW"/> wide, channels <paramref name="channel"/> floats apart), and which weight it
    /// uses before the output channel's own offset. Returns how many there are.
    /// </summary>
    public static int Phase(in ConvGeometry g, long channel, int paddedW, int backH, int backW, int* stepsY, int* stepsX,
        int a, int b, int* offsets, int* indices)
    {
        int kh = g.KernelH, kw = g.KernelW, inPerGroup = g.InPerGroup, channelWeights = g.OutPerGroup * kh * kw, taps = 0;
        for (int i = 0; i < kh; i++)
        {
            if (stepsY[2 * i + 1] != a) continue;
            for (int j = 0; j < kw; j++)
            {
                if (stepsX[2 * j + 1] != b) continue;
                offsets[taps] = checked((int)((long)(backH - stepsY[2 * i]) * paddedW + backW - stepsX[2 * j]));
                indices[taps] = i * kw + j;
                taps++;
            }
        }
        // The same taps for every further input channel of the group, one channel and one weight block along.
        for (int c = 1; c < inPerGroup; c++)
        {
            for (int t = 0; t < taps; t++)
            {
                offsets[c * taps + t] = checked((int)(offsets[t] + c * channel));
                indices[c * taps + t] = indices[t] + c * channelWeights;
            }
        }
        return taps * inPerGroup;
    }
}
