namespace Conv.Notebook;

/// <summary>How far a layer is from shift-equivariance for one input and one shift; see <see cref="ShiftEquivariance.Error"/>.</summary>
/// <param name="Error">‖f(shift(x)) − shift_t(f(x))‖₂ / ‖f(x)‖₂ at the better-matching output shift t: 0 for an equivariant layer.</param>
/// <param name="OutputShift">The output shift t that matched better, (rows, columns).</param>
public sealed record ShiftError(double Error, (int H, int W) OutputShift);

/// <summary>
/// Measures shift-equivariance: a layer f of stride s is shift-equivariant when shifting its input by δ shifts its
/// output by δ / s, f(shift_δ(x)) = shift_{δ/s}(f(x)). A stride-1 convolution with circular padding is exactly
/// equivariant under circular shifts. A stride-2 convolution is not: a one-pixel shift of its input is half a pixel
/// of its output, which no whole-pixel shift of the output matches. The error compares f(shift_δ(x)) with f(x) shifted
/// by δ / s rounded down and rounded up, and keeps the better match, so that a layer is charged only for what no
/// whole-pixel output shift explains.
/// </summary>
/// <example>
/// <code>
/// Tensor image = NaturalSignals.NaturalImage(64, seed: 0);
/// Func&lt;Tensor, Tensor&gt; stride2 = x => Convolution.Conv2d(x, w, padding: (1, 1), stride: (2, 2),
///     paddingMode: PaddingMode.Circular);
/// double e = ShiftEquivariance.Error(stride2, image, shift: (0, 1), stride: (2, 2)).Error;   // clearly above 0
/// </code>
/// </example>
public static class ShiftEquivariance
{
    /// <summary>
    /// The relative L2 distance between f(roll(x, δ)) and f(x) rolled by δ / s, rounded down or up per axis, whichever of
    /// the (up to four) candidates matches best: min over t of ‖f(roll(x, δ)) − roll(f(x), t)‖₂ / ‖f(x)‖₂, with
    /// t_h ∈ {⌊δ_h / s_h⌋, ⌈δ_h / s_h⌉} and t_w ∈ {⌊δ_w / s_w⌋, ⌈δ_w / s_w⌉}.
    /// </summary>
    /// <param name="layer">The layer f; it must give outputs of the same shape for x and its shift.</param>
    /// <param name="input">The input x, of rank 2 or more; the shift moves its last two dimensions (<see cref="Sampling.Roll"/>).</param>
    /// <param name="shift">The input shift δ, (rows, columns); negative values shift up and left.</param>
    /// <param name="stride">The layer's total stride s, (rows, columns), each at least 1: how many input pixels one output pixel spans.</param>
    /// <returns>The error and the output shift that gave it.</returns>
    /// <example><code>ShiftEquivariance.Error(x => x, image, shift: (0, 1), stride: (1, 1)) // error 0 at output shift (0, 1)</code></example>
    public static ShiftError Error(Func<Tensor, Tensor> layer, Tensor input, (int H, int W) shift, (int H, int W) stride)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        RequireImage(input);
        Guard.AtLeastOne(stride.H, "stride.H", "stride");
        Guard.AtLeastOne(stride.W, "stride.W", "stride");

        (Tensor output, Tensor shifted) = ApplyBeforeAndAfterShift(layer, input, shift);
        double norm = Norm(output.ToArray(), null);
        if (norm == 0) throw new ArgumentException("The relative error is undefined because the layer's output for input is all zeros.", nameof(input));

        float[] target = shifted.ToArray();
        var best = new ShiftError(double.PositiveInfinity, (0, 0));
        foreach (int ty in Candidates(shift.H, stride.H))
        {
            foreach (int tx in Candidates(shift.W, stride.W))
            {
                double error = Norm(Sampling.Roll(output, (ty, tx)).ToArray(), target) / norm;
                if (error < best.Error) best = new ShiftError(error, (ty, tx));
            }
        }
        return best;
    }

    /// <summary>
    /// How much a shift of the input changes what a classifier head sees: the per-channel spatial mean of
    /// ReLU(f(x)) (global average pooling after a ReLU), compared before and after the shift,
    /// ‖g(roll(x, δ)) − g(x)‖₂ / ‖g(x)‖₂. 0 for a shift-invariant pooled feature, as a stride-1 convolution with circular
    /// padding gives under circular shifts.
    /// </summary>
    /// <param name="layer">The layer f; its output's dimensions before the last two are the channels.</param>
    /// <param name="input">The input x, of rank 2 or more; the shift moves its last two dimensions.</param>
    /// <param name="shift">The input shift δ, (rows, columns).</param>
    /// <example><code>ShiftEquivariance.PooledChange(stride2, image, (0, 1)) // above 0: the pooled features move</code></example>
    public static double PooledChange(Func<Tensor, Tensor> layer, Tensor input, (int H, int W) shift)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        RequireImage(input);
        (Tensor output, Tensor shifted) = ApplyBeforeAndAfterShift(layer, input, shift);
        double[] before = PooledRelu(output), after = PooledRelu(shifted);
        double norm = Norm(before, null);
        if (norm == 0) throw new ArgumentException("The relative change is undefined because every pooled feature of the layer's output for input is 0.", nameof(input));
        return Norm(after, before) / norm;
    }

    private static double[] PooledRelu(Tensor y)
    {
        int plane = y.Size(-2) * y.Size(-1);
        float[] data = y.ToArray();
        var pooled = new double[data.Length / plane];
        for (int c = 0; c < pooled.Length; c++)
        {
            double sum = 0;
            for (int i = c * plane; i < (c + 1) * plane; i++) sum += Math.Max(0f, data[i]);
            pooled[c] = sum / plane;
        }
        return pooled;
    }

    private static double Norm(double[] a, double[]? b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = b is null ? a[i] : a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    private static int[] Candidates(int shift, int stride)
    {
        int down = (int)Math.Floor((double)shift / stride), up = (int)Math.Ceiling((double)shift / stride);
        return down == up ? [down] : [down, up];
    }

    private static double Norm(float[] a, float[]? b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = b is null ? a[i] : (double)a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    private static void RequireImage(Tensor input)
    {
        if (input.Rank < 2)
        {
            throw new ArgumentException($"The input needs a height and a width (rank 2 or more), but it has shape {Tensor.ShapeText(input.Shape)}.", nameof(input));
        }
    }

    /// <summary>The layer's output for the input and for the input rolled by the shift, checked to match in shape.</summary>
    private static (Tensor Output, Tensor Shifted) ApplyBeforeAndAfterShift(Func<Tensor, Tensor> layer, Tensor input, (int H, int W) shift)
    {
        Tensor output = layer(input) ?? throw new ArgumentException("The layer returned null.", nameof(layer));
        Tensor shifted = layer(Sampling.Roll(input, shift)) ?? throw new ArgumentException("The layer returned null.", nameof(layer));
        if (!output.Shape.SequenceEqual(shifted.Shape) || output.Rank < 2)
        {
            throw new ArgumentException(
                $"The layer must map the input and its shift to outputs of the same shape with a height and a width, but it gave {Tensor.ShapeText(output.Shape)} and {Tensor.ShapeText(shifted.Shape)}.",
                nameof(layer));
        }
        return (output, shifted);
    }
}
