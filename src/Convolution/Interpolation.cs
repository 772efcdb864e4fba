namespace Conv.Notebook;

/// <summary>How <see cref="Interpolation.Interpolate"/> computes new pixels.</summary>
public enum InterpolationMode
{
    /// <summary>Copy the nearest input pixel: each pixel becomes a block, as <c>mode="nearest"</c>.</summary>
    Nearest,

    /// <summary>Blend the four nearest input pixels linearly, as <c>mode="bilinear", align_corners=False</c>.</summary>
    Bilinear,
}

/// <summary>
/// Resizing images by whole scale factors, as <c>F.interpolate(input, scale_factor=…, mode=…)</c>: the fixed
/// upsampling that "resize, then convolve" uses instead of a transposed convolution.
/// </summary>
/// <example><code>Tensor big = Interpolation.Interpolate(image, (2, 2), InterpolationMode.Bilinear);</code></example>
public static class Interpolation
{
    /// <summary>
    /// Scales the height and width by whole factors. Output pixel (y, x) samples the input at
    /// ((y + ½) / s − ½, (x + ½) / s − ½), PyTorch's <c>align_corners=False</c> convention, clamped to the image.
    /// </summary>
    /// <param name="input">Shape (N, C, H, W) or (C, H, W).</param>
    /// <param name="scaleFactor">The factors (height, width), each at least 1.</param>
    /// <param name="mode">Nearest or bilinear.</param>
    /// <example><code>Interpolation.Interpolate(x, (2, 2)) // each pixel becomes a 2 × 2 block</code></example>
    public static Tensor Interpolate(Tensor input, (int H, int W) scaleFactor, InterpolationMode mode = InterpolationMode.Nearest)
    {
        ArgumentNullException.ThrowIfNull(input);
        ReadOnlySpan<int> shape = input.Dims;
        if (shape.Length != 3 && shape.Length != 4)
        {
            throw new ArgumentException($"Interpolate needs an input of shape (N, C, H, W) or (C, H, W), but input has shape {Tensor.ShapeText(shape)}.", nameof(input));
        }
        Guard.NotEmptyAlong(input, 2, nameof(input), "Interpolate");
        Guard.AtLeastOne(scaleFactor.H, "scaleFactor.H", "scale factor");
        Guard.AtLeastOne(scaleFactor.W, "scaleFactor.W", "scale factor");
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"The mode must be Nearest or Bilinear, but it is {(int)mode}.");
        }
        int h = shape[^2], w = shape[^1];
        int planes = input.Length / (h * w);
        long[] outShape = new long[shape.Length];
        for (int d = 0; d < shape.Length; d++) outShape[d] = shape[d];
        outShape[^2] = (long)h * scaleFactor.H;
        outShape[^1] = (long)w * scaleFactor.W;
        int[] resultShape = Guard.ResultShape(outShape, nameof(scaleFactor), "interpolation");
        int outH = resultShape[^2], outW = resultShape[^1];

        var rows = Taps(h, outH, scaleFactor.H, mode);
        var cols = Taps(w, outW, scaleFactor.W, mode);
        Tensor result = Tensor.Uninitialized(resultShape, planes * outH * outW);
        Span<float> output = result.Writable;
        ReadOnlySpan<float> x = input.Span;
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oy = 0; oy < outH; oy++)
            {
                (int r0, int r1, float fr) = rows[oy];
                for (int ox = 0; ox < outW; ox++)
                {
                    (int c0, int c1, float fc) = cols[ox];
                    float top = x[inBase + r0 * w + c0] * (1 - fc) + x[inBase + r0 * w + c1] * fc;
                    float bottom = x[inBase + r1 * w + c0] * (1 - fc) + x[inBase + r1 * w + c1] * fc;
                    output[outBase + oy * outW + ox] = top * (1 - fr) + bottom * fr;
                }
            }
        }
        GC.KeepAlive(input);
        return result;
    }

    /// <summary>For each output index, the two input indices it blends and the weight of the second.</summary>
    private static (int Low, int High, float Weight)[] Taps(int size, int outSize, int scale, InterpolationMode mode)
    {
        var taps = new (int, int, float)[outSize];
        for (int o = 0; o < outSize; o++)
        {
            if (mode == InterpolationMode.Nearest)
            {
                int i = o / scale;
                taps[o] = (i, i, 0f);
                continue;
            }
            float source = Math.Max((o + 0.5f) / scale - 0.5f, 0f);
            int low = Math.Min((int)source, size - 1);
            int high = Math.Min(low + 1, size - 1);
            taps[o] = (low, high, source - low);
        }
        return taps;
    }
}
