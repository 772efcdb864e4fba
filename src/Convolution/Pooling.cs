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
    /// <param name="input">Shape (N, C, H, W) or (C, H, W).</param>
    /// <param name="kernel">The window (height, width).</param>
    /// <param name="stride">The step between windows; null means the kernel, as in PyTorch.</param>
    /// <param name="padding">Implicit padding on each side, at most half the kernel; null means none.</param>
    /// <example><code>Pooling.MaxPool2d(x, (2, 2))</code></example>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null) =>
        Pool("MaxPool2d", oneD: false, max: true, input, kernel, stride ?? kernel, padding ?? (0, 0));

    /// <summary>The mean of each window, padded zeros included, as <c>F.avg_pool2d</c>.</summary>
    /// <param name="input">Shape (N, C, H, W) or (C, H, W).</param>
    /// <param name="kernel">The window (height, width).</param>
    /// <param name="stride">The step between windows; null means the kernel, as in PyTorch.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel; null means none.</param>
    /// <example><code>Pooling.AvgPool2d(x, (2, 2))</code></example>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null) =>
        Pool("AvgPool2d", oneD: false, max: false, input, kernel, stride ?? kernel, padding ?? (0, 0));

    /// <summary>The largest value in each window, as <c>F.max_pool1d</c>.</summary>
    /// <param name="input">Shape (N, C, L) or (C, L).</param>
    /// <param name="kernel">The window length.</param>
    /// <param name="stride">The step between windows; null means the kernel.</param>
    /// <param name="padding">Implicit padding on each side, at most half the kernel.</param>
    /// <example><code>Pooling.MaxPool1d(signal, 2)</code></example>
    public static Tensor MaxPool1d(Tensor input, int kernel, int? stride = null, int padding = 0) =>
        Pool("MaxPool1d", oneD: true, max: true, input, (1, kernel), (1, stride ?? kernel), (0, padding));

    /// <summary>The mean of each window, padded zeros included, as <c>F.avg_pool1d</c>.</summary>
    /// <param name="input">Shape (N, C, L) or (C, L).</param>
    /// <param name="kernel">The window length.</param>
    /// <param name="stride">The step between windows; null means the kernel.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel.</param>
    /// <example><code>Pooling.AvgPool1d(signal, 2)</code></example>
    public static Tensor AvgPool1d(Tensor input, int kernel, int? stride = null, int padding = 0) =>
        Pool("AvgPool1d", oneD: true, max: false, input, (1, kernel), (1, stride ?? kernel), (0, padding));

    private static Tensor Pool(string op, bool oneD, bool max, Tensor input, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
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
        int planes = shape.Length == spatial + 2 ? shape[0] * shape[1] : shape[0];
        int h = oneD ? 1 : shape[^2], w = shape[^1];
        int outH = oneD ? 1 : ConvShape.OutputNamed(h, kernel.H, padding.H, stride.H, 1, AxisNames.ForCall("height", suffixH) with { Kernel = "kernel" + suffixH });
        int outW = ConvShape.OutputNamed(w, kernel.W, padding.W, stride.W, 1, AxisNames.ForCall(oneD ? "length" : "width", suffixW) with { Kernel = "kernel" + suffixW });

        var output = new float[(long)planes * outH * outW];
        ReadOnlySpan<float> x = input.Span;
        float area = kernel.H * kernel.W;
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oy = 0; oy < outH; oy++)
            {
                int top = oy * stride.H - padding.H;
                for (int ox = 0; ox < outW; ox++)
                {
                    int left = ox * stride.W - padding.W;
                    float best = float.NegativeInfinity, sum = 0f;
                    for (int row = Math.Max(top, 0); row < Math.Min(top + kernel.H, h); row++)
                    {
                        for (int col = Math.Max(left, 0); col < Math.Min(left + kernel.W, w); col++)
                        {
                            float v = x[inBase + row * w + col];
                            // NaN wins, as in PyTorch: a window holding NaN pools to NaN.
                            if (v > best || float.IsNaN(v)) best = float.IsNaN(best) ? best : v;
                            sum += v;
                        }
                    }
                    output[outBase + oy * outW + ox] = max ? best : sum / area;
                }
            }
        }
        int channels = batched ? shape[1] : shape[0];
        int[] outShape = (oneD, batched) switch
        {
            (true, true) => [shape[0], channels, outW],
            (true, false) => [channels, outW],
            (false, true) => [shape[0], channels, outH, outW],
            (false, false) => [channels, outH, outW],
        };
        return Tensor.Wrap(outShape, output);
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
