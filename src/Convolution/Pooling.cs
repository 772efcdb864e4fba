using System.Runtime.CompilerServices;

namespace Conv.Notebook;

/// <summary>
/// Max and average pooling, as <c>F.max_pool1d/2d</c> and <c>F.avg_pool1d/2d</c> with PyTorch's defaults:
/// the stride defaults to the kernel, padding is implicit (−∞ for max, zeros counted in the average), and the
/// output size is ⌊(n + 2p − k) / s⌋ + 1.
/// </summary>
/// <example>
/// <code>
/// Tensor y = Convolution.Conv2d(x, k, padding: (1, 1));
/// Tensor pooled = Pooling.MaxPool2d(y, kernel: (2, 2)); // half the height and width
/// </code>
/// </example>
public static class Pooling
{
    /// <summary>The largest value in each window, as <c>F.max_pool2d</c>.</summary>
    /// <param name="input">Shape (N, C, H, W) or (C, H, W); a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="kernel">The window (height, width).</param>
    /// <param name="stride">The step between windows; null means the kernel, as in PyTorch.</param>
    /// <param name="padding">Implicit padding on each side, at most half the kernel; null means none.</param>
    /// <example><code>Pooling.MaxPool2d(x, (2, 2))</code></example>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null) =>
        Pool("MaxPool2d", oneD: false, max: true, input, kernel, stride ?? kernel, padding ?? (0, 0));

    /// <summary>The mean of each window, padded zeros included, as <c>F.avg_pool2d</c>.</summary>
    /// <param name="input">Shape (N, C, H, W) or (C, H, W); a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="kernel">The window (height, width).</param>
    /// <param name="stride">The step between windows; null means the kernel, as in PyTorch.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel; null means none.</param>
    /// <example><code>Pooling.AvgPool2d(x, (2, 2))</code></example>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null) =>
        Pool("AvgPool2d", oneD: false, max: false, input, kernel, stride ?? kernel, padding ?? (0, 0));

    /// <summary>The largest value in each window, as <c>F.max_pool1d</c>.</summary>
    /// <param name="input">Shape (N, C, L) or (C, L); a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="kernel">The window length.</param>
    /// <param name="stride">The step between windows; null means the kernel.</param>
    /// <param name="padding">Implicit padding on each side, at most half the kernel.</param>
    /// <example><code>Pooling.MaxPool1d(signal, 2)</code></example>
    public static Tensor MaxPool1d(Tensor input, int kernel, int? stride = null, int padding = 0) =>
        Pool("MaxPool1d", oneD: true, max: true, input, (1, kernel), (1, stride ?? kernel), (0, padding));

    /// <summary>The mean of each window, padded zeros included, as <c>F.avg_pool1d</c>.</summary>
    /// <param name="input">Shape (N, C, L) or (C, L); a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="kernel">The window length.</param>
    /// <param name="stride">The step between windows; null means the kernel.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel.</param>
    /// <example><code>Pooling.AvgPool1d(signal, 2)</code></example>
    public static Tensor AvgPool1d(Tensor input, int kernel, int? stride = null, int padding = 0) =>
        Pool("AvgPool1d", oneD: true, max: false, input, (1, kernel), (1, stride ?? kernel), (0, padding));

    /// <summary>
    /// Checks the arguments and pools; <paramref name="vectorized"/> false keeps to the plain loop, the definition that
    /// the vectorised one is tested against.
    /// </summary>
    internal static Tensor Pool(string op, bool oneD, bool max, Tensor input, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        bool vectorized = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ReadOnlySpan<int> shape = input.Dims;
        int spatial = oneD ? 1 : 2;
        if (shape.Length != spatial + 1 && shape.Length != spatial + 2)
        {
            string layout = oneD ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)";
            throw new ArgumentException($"{op} needs an input of shape {layout}, but input has shape {Tensor.ShapeText(shape)}.", nameof(input));
        }
        string suffixH = ".H", suffixW = oneD ? "" : ".W";
        CheckAxis(kernel.H, stride.H, padding.H, suffixH);
        CheckAxis(kernel.W, stride.W, padding.W, suffixW);
        bool batched = shape.Length == spatial + 2;
        Guard.EmptyOnlyAlongBatch(shape, batched, nameof(input), op);
        int planes = shape.Length == spatial + 2 ? shape[0] * shape[1] : shape[0];
        int h = oneD ? 1 : shape[^2], w = shape[^1];
        int outH = oneD ? 1 : ConvShape.OutputNamed(h, kernel.H, padding.H, stride.H, 1, AxisNames.ForCall("height", suffixH) with { Kernel = "kernel" + suffixH });
        int outW = ConvShape.OutputNamed(w, kernel.W, padding.W, stride.W, 1, AxisNames.ForCall(oneD ? "length" : "width", suffixW) with { Kernel = "kernel" + suffixW });

        int channels = batched ? shape[1] : shape[0];
        int[] outShape = ConvGeometry.Shape(oneD, batched, shape[0], channels, outH, outW);
        if (planes == 0) return Tensor.Wrap(outShape, []);
        // Both loops write every output element.
        Tensor output = Tensor.Uninitialized(outShape, planes * outH * outW);
        var g = new PoolGeometry(planes, h, w, outH, outW, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, max);
        if (vectorized && FastPooling.Takes(g)) FastPooling.Run(input.Span, output.Writable, g);
        else Plain(input.Span, output.Writable, g);
        // The input's elements were read through a span, which does not keep the tensor (and so its lent elements) alive.
        GC.KeepAlive(input);
        return output;
    }

    /// <summary>Every output of every plane, one window at a time.</summary>
    private static unsafe void Plain(ReadOnlySpan<float> input, Span<float> output, in PoolGeometry g)
    {
        fixed (float* x = input)
        {
            for (int plane = 0, at = 0; plane < g.Planes; plane++)
            {
                float* from = x + (long)plane * g.H * g.W;
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    for (int ox = 0; ox < g.OutW; ox++) output[at++] = Window(from, g, oy, ox);
                }
            }
        }
    }

    /// <summary>
    /// Output (<paramref name="oy"/>, <paramref name="ox"/>) of one plane: the largest value of its window, or the sum
    /// of the values inside the plane divided by the whole window's size (padded zeros count in the average).
    /// </summary>
    /// <remarks>
    /// Compiled optimised from its first call: the vectorised loops call it for the outputs at the rows' edges, once or
    /// twice a row, and a notebook times a call a few times only. Unoptimised, those calls took notebook 4's 2 × 2 max
    /// pool (one edge output a row at the time) from 0.05 to 0.2 ms.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe float Window(float* plane, in PoolGeometry g, int oy, int ox)
    {
        int top = oy * g.StrideH - g.PadH, left = ox * g.StrideW - g.PadW;
        int rowEnd = Math.Min(top + g.KernelH, g.H), columnEnd = Math.Min(left + g.KernelW, g.W);
        float best = float.NegativeInfinity, sum = 0f;
        for (int row = Math.Max(top, 0); row < rowEnd; row++)
        {
            for (int col = Math.Max(left, 0); col < columnEnd; col++)
            {
                float v = plane[(long)row * g.W + col];
                // NaN wins, as in PyTorch: a window holding NaN pools to NaN.
                if (v > best || float.IsNaN(v)) best = float.IsNaN(best) ? best : v;
                sum += v;
            }
        }
        return g.Max ? best : sum / ((float)g.KernelH * g.KernelW);
    }

    private static void CheckAxis(int kernel, int stride, int padding, string suffix)
    {
        Guard.AtLeastOne(kernel, "kernel" + suffix, "kernel size");
        Guard.AtLeastOne(stride, "stride" + suffix, "stride");
        Guard.NotNegative(padding, "padding" + suffix, "padding");
        if (padding > kernel / 2)
        {
            throw new ArgumentOutOfRangeException("padding" + suffix, padding,
                $"Pooling padding must be at most half the kernel (⌊{kernel} / 2⌋ = {kernel / 2}), as in PyTorch, but padding{suffix} is {padding}.");
        }
    }
}

/// <summary>One pooling call: its planes, their size and the output's, the window, stride and padding, and max or average.</summary>
internal readonly record struct PoolGeometry(int Planes, int H, int W, int OutH, int OutW, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH, int PadW, bool Max);
