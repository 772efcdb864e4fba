namespace Conv.Notebook;

/// <summary>
/// Picking and moving the positions of the last two dimensions of a tensor (height and width), for comparing a
/// strided layer with a dense one: <see cref="Subsample"/> keeps every s-th position, as <c>x[..., a::s_h, b::s_w]</c>
/// does in PyTorch, and <see cref="Roll"/> shifts an image circularly, as <c>torch.roll</c>.
/// </summary>
/// <example>
/// <code>
/// Tensor dense = Convolution.Conv2d(x, w, padding: (1, 1));
/// Tensor strided = Convolution.Conv2d(x, w, padding: (1, 1), stride: (2, 2));
/// bool same = Sampling.Subsample(dense, (2, 2)).AllClose(strided);   // true
/// </code>
/// </example>
public static class Sampling
{
    /// <summary>
    /// Every <paramref name="step"/>-th row and column, starting at <paramref name="offset"/>: <c>x[..., a::s_h, b::s_w]</c>.
    /// The leading dimensions are kept; the height becomes ⌈(H − a) / s_h⌉ and the width ⌈(W − b) / s_w⌉.
    /// </summary>
    /// <param name="input">A tensor of rank 2 or more, such as (H, W) or (N, C, H, W).</param>
    /// <param name="step">The spacing of kept rows and columns, each at least 1.</param>
    /// <param name="offset">The first kept row and column; null means (0, 0). Each from 0 to that size minus 1.</param>
    /// <example><code>Sampling.Subsample(Tensor.Arange(16).Reshape(4, 4), (2, 2)) // [[0, 2], [8, 10]]</code></example>
    public static Tensor Subsample(Tensor input, (int H, int W) step, (int H, int W)? offset = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (a, b) = offset ?? (0, 0);
        ReadOnlySpan<int> dims = input.Dims;
        if (dims.Length < 2)
        {
            throw new ArgumentException($"Subsample needs a tensor with a height and a width (rank 2 or more), but input has shape {Tensor.ShapeText(dims)}.", nameof(input));
        }
        Guard.AtLeastOne(step.H, "step.H", "step");
        Guard.AtLeastOne(step.W, "step.W", "step");
        int h = dims[^2], w = dims[^1];
        CheckOffset(a, h, "offset.H", "height");
        CheckOffset(b, w, "offset.W", "width");

        int outH = (h - a + step.H - 1) / step.H, outW = (w - b + step.W - 1) / step.W;
        int planes = input.Length / (h * w);
        var output = new float[planes * outH * outW];
        ReadOnlySpan<float> x = input.Span;
        for (int p = 0; p < planes; p++)
        {
            for (int r = 0; r < outH; r++)
            {
                int source = p * h * w + (a + r * step.H) * w + b, target = (p * outH + r) * outW;
                for (int c = 0; c < outW; c++) output[target + c] = x[source + c * step.W];
            }
        }
        int[] shape = input.Shape;
        shape[^2] = outH;
        shape[^1] = outW;
        return Tensor.Wrap(shape, output);
    }

    /// <summary>
    /// The image shifted circularly by <paramref name="shift"/> rows and columns, as
    /// <c>torch.roll(x, shifts=(dy, dx), dims=(-2, -1))</c>: element (r, c) moves to ((r + dy) mod H, (c + dx) mod W),
    /// and what leaves one side comes back in on the other.
    /// </summary>
    /// <param name="input">A tensor of rank 2 or more, such as (H, W) or (N, C, H, W).</param>
    /// <param name="shift">Rows down and columns right; negative values shift up and left. Any size is allowed.</param>
    /// <example><code>Sampling.Roll(Tensor.Arange(4).Reshape(1, 4), (0, 1)) // [[3, 0, 1, 2]]</code></example>
    public static Tensor Roll(Tensor input, (int H, int W) shift)
    {
        ArgumentNullException.ThrowIfNull(input);
        ReadOnlySpan<int> dims = input.Dims;
        if (dims.Length < 2)
        {
            throw new ArgumentException($"Roll needs a tensor with a height and a width (rank 2 or more), but input has shape {Tensor.ShapeText(dims)}.", nameof(input));
        }
        Guard.NotEmptyAlong(input, 2, nameof(input), "Roll");
        int h = dims[^2], w = dims[^1];
        int dy = (int)(((long)shift.H % h + h) % h), dx = (int)(((long)shift.W % w + w) % w);
        int planes = input.Length / (h * w);
        var output = new float[input.Length];
        ReadOnlySpan<float> x = input.Span;
        for (int p = 0; p < planes; p++)
        {
            for (int r = 0; r < h; r++)
            {
                ReadOnlySpan<float> row = x.Slice(p * h * w + r * w, w);
                Span<float> target = output.AsSpan(p * h * w + (r + dy) % h * w, w);
                row[..(w - dx)].CopyTo(target[dx..]);
                row[(w - dx)..].CopyTo(target[..dx]);
            }
        }
        return Tensor.Wrap(input.Shape, output);
    }

    private static void CheckOffset(int offset, int size, string paramName, string dimension)
    {
        if (offset < 0 || offset >= size)
        {
            throw new ArgumentOutOfRangeException(paramName, offset,
                $"The offset must be from 0 to the {dimension} minus 1 ({size - 1}), but {paramName} is {offset}.");
        }
    }
}
